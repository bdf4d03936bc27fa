using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;
using Keywarden.Rotation.Sinks;
using Keywarden.Sandbox;
using Keywarden.Testing;

namespace Keywarden.Cli.Tests;

/// <summary>
/// A throw-away data directory and a real sandbox on loopback; runs the CLI in-process with
/// injected stdin, stdout, stderr and environment.
/// </summary>
internal sealed class CliFixture : IAsyncDisposable
{
    private readonly HttpClient _control;
    private readonly TempDirectory _data = new("kw-cli-test-");

    private CliFixture(SandboxServer sandbox)
    {
        Sandbox = sandbox;
        _control = Loopback.Client(sandbox.BaseAddress);
        Environment["KEYWARDEN_DATA"] = DataDirectory;
    }

    public SandboxServer Sandbox { get; }

    public string DataDirectory => _data.Path;

    public Dictionary<string, string?> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>The clock the CLI sees (shift it to age keys).</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>Whether the CLI sees stdout as a terminal, and its width (tests of tables and colour).</summary>
    public bool Terminal { get; set; }

    public int? TerminalWidth { get; set; }

    /// <summary>The sinks the CLI builds; the CLI's default until a test sets one.</summary>
    public IKeySinkFactory? Sinks { get; set; }

    /// <summary>The built keywarden apphost beside the tests: what an installed hook runs.</summary>
    public static string[] SelfCommand { get; } = [Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "keywarden.exe" : "keywarden")];

    /// <summary>The command tree as the CLI builds it, for tests that parse or walk it without running a command.</summary>
    public static RootCommand CommandTree() => CliApp.Build(new CliContext
    {
        In = TextReader.Null,
        Out = TextWriter.Null,
        Error = TextWriter.Null,
        InputRedirected = false,
        Environment = new Dictionary<string, string?>(),
        HomeDirectory = Path.GetTempPath(),
    });

    public static async Task<CliFixture> StartAsync()
    {
        var sandbox = await SandboxServer.StartAsync(new SandboxOptions(), TestContext.Current.CancellationToken);
        return new CliFixture(sandbox);
    }

    /// <summary>Runs with <paramref name="stdin"/> piped in, as <c>keywarden ARGS &lt; file</c>.</summary>
    public Task<CliRun> PipeAsync(string? stdin, params string[] args) =>
        ConverseAsync(_ => new StringReader(stdin ?? ""), stdin is not null, args);

    /// <summary>
    /// Runs with stdin read from <paramref name="stdin"/>, made from what the command has printed on stdout so far: a
    /// conversation, for commands that ask something only after printing what the answer depends on.
    /// </summary>
    public Task<CliRun> ConverseAsync(Func<StringWriter, TextReader> stdin, params string[] args) => ConverseAsync(stdin, redirected: true, args);

    private async Task<CliRun> ConverseAsync(Func<StringWriter, TextReader> stdin, bool redirected, string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext
        {
            In = stdin(output),
            Out = output,
            Error = error,
            InputRedirected = redirected,
            Environment = Environment,
            HomeDirectory = DataDirectory,
            Time = Time,
            Sinks = Sinks ?? Infrastructure.KeySinks.Default,
            SelfCommand = SelfCommand,
            Terminal = Terminal,
            TerminalWidth = TerminalWidth,
        };
        var code = await CliApp.RunAsync(args, context, TestContext.Current.CancellationToken);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    public Task<CliRun> RunAsync(params string[] args) => PipeAsync(null, args);

    public async Task<CliRun> InitAsync()
    {
        var run = await RunAsync("init", "--no-setup-code");
        Assert.True(run.ExitCode == 0, run.Error);
        return run;
    }

    /// <summary>Creates an account in the sandbox and a key in it, as a person would in Mailchimp's UI.</summary>
    public async Task<(string AccountId, string KeyId, string Key)> CreateKeyAsync(string kind, string datacenter = "us21", string? accountId = null)
    {
        var ct = TestContext.Current.CancellationToken;
        if (accountId is null)
        {
            using var created = await _control.PostAsJsonAsync("_sandbox/accounts", new { name = "Test " + kind, datacenter }, ct);
            created.EnsureSuccessStatusCode();
            accountId = (await created.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("account_id").GetString()!;
        }

        using var response = await _control.PostAsJsonAsync($"_sandbox/accounts/{accountId}/keys", new { kind, name = "test key" }, ct);
        response.EnsureSuccessStatusCode();
        var key = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        return (accountId, key.GetProperty("key_id").GetString()!, key.GetProperty("key").GetString()!);
    }

    /// <summary>Creates a sandbox key and stores it as upstream <paramref name="name"/>, verified against the sandbox.</summary>
    public async Task<(string KeyId, string Key)> AddSandboxUpstreamAsync(string name, string kind = "marketing")
    {
        var (_, keyId, key) = await CreateKeyAsync(kind);
        var add = await PipeAsync(key, "upstream", "add", name, "--kind", kind, "--base-url", Sandbox.BaseAddress.ToString());
        Assert.True(add.ExitCode == 0, add.Error);
        return (keyId, key);
    }

    public async Task RevokeKeyAsync(string keyId)
    {
        using var response = await _control.PostAsync($"_sandbox/keys/{keyId}/revoke", null, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        _control.Dispose();
        await Sandbox.DisposeAsync();
        _data.Dispose();
    }
}
