using System.Text.Json.Nodes;
using Keywarden.Sandbox;

namespace Keywarden.IntegrationTests.Compat;

/// <summary>
/// One run of a compat script against a fresh sandbox: an account and two keys made through the control API,
/// the second revoked, then the script with the base URL and both keys in its environment.
/// </summary>
internal sealed class CompatRun : IAsyncDisposable
{
    private CompatRun(SandboxServer sandbox, SandboxControlClient control, JsonObject account, JsonObject key, JsonObject revokedKey, JsonObject output)
    {
        Sandbox = sandbox;
        Control = control;
        Account = account;
        Key = key;
        RevokedKey = revokedKey;
        Output = output;
    }

    public SandboxServer Sandbox { get; }

    public SandboxControlClient Control { get; }

    public JsonObject Account { get; }

    /// <summary>The key the script used (key_id, key, prefix…).</summary>
    public JsonObject Key { get; }

    public JsonObject RevokedKey { get; }

    /// <summary>What the script printed.</summary>
    public JsonObject Output { get; }

    /// <summary>Output.results, after asserting the script reached its end.</summary>
    public JsonObject Results
    {
        get
        {
            Assert.True(Output["ok"]!.GetValue<bool>(), "the script failed: " + Output.ToJsonString());
            return Output["results"]!.AsObject();
        }
    }

    public static async Task<CompatRun> StartAsync(string script, string kind, string datacenter, CancellationToken cancellationToken)
    {
        var sandbox = await SandboxServer.StartAsync(
            new SandboxOptions { LoggerFactory = Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance },
            cancellationToken);
        var control = new SandboxControlClient(sandbox.BaseAddress);
        var account = await control.CreateAccountAsync("Compat Co", datacenter, cancellationToken);
        var accountId = account["account_id"]!.GetValue<string>();
        var key = await control.CreateKeyAsync(accountId, kind, "compat", cancellationToken);
        var revoked = await control.CreateKeyAsync(accountId, kind, "compat (revoked)", cancellationToken);
        await control.RevokeKeyAsync(revoked["key_id"]!.GetValue<string>(), cancellationToken);
        var output = await NodeScript.RunAsync(
            script,
            new Dictionary<string, string>
            {
                ["KEYWARDEN_COMPAT_BASE_URL"] = sandbox.BaseAddress.ToString(),
                ["KEYWARDEN_COMPAT_KEY"] = key["key"]!.GetValue<string>(),
                ["KEYWARDEN_COMPAT_REVOKED_KEY"] = revoked["key"]!.GetValue<string>(),
            },
            cancellationToken);
        return new CompatRun(sandbox, control, account, key, revoked, output);
    }

    public async ValueTask DisposeAsync()
    {
        Control.Dispose();
        await Sandbox.DisposeAsync();
    }
}
