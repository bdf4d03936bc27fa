using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Keywarden.Cli.Tests.Operators;
using Keywarden.Testing;

namespace Keywarden.Cli.Tests.Remote;

/// <summary>
/// Remote mode: a real <c>serve</c> with the admin API on a free loopback port, operators joined with computed TOTP
/// codes, and the CLI talking to it through <c>KEYWARDEN_ADDR</c> after <c>keywarden login</c> (or with <c>KEYWARDEN_TOKEN</c>).
/// </summary>
public sealed partial class RemoteCommandTests : CliTestBase
{
    [Fact]
    public async Task Login_FromStdin_KeepsTheSessionOwnerOnly_TokenIssueAndListGoThroughTheServer_LogoutEndsIt()
    {
        var secret = await JoinAdminAsync();
        await Cli.AddSandboxUpstreamAsync("main");
        using var serve = StartServe();
        var address = await AdminAddressAsync(serve);
        var gateway = await serve.ListeningAsync();
        var session = Path.Combine(Scratch, "session.json");
        Cli.Environment["KEYWARDEN_SESSION_FILE"] = session;

        var login = await Cli.PipeAsync($"admin\n{OperatorCommandTests.Password}\n{NextCode(secret)}\n", "login", "--addr", address);
        Cli.Environment["KEYWARDEN_ADDR"] = address;
        var issue = await Cli.RunAsync("token", "issue", "--upstream", "main", "--name", "newsletter", "--path", "/lists/**", "--json");
        Assert.True(issue.ExitCode == 0, issue.All);
        await AssertServedAsync(gateway, JsonNode.Parse(issue.Out)!["token"]!.GetValue<string>());
        var remoteList = await Cli.RunAsync("token", "list", "--json");
        var table = await Cli.RunAsync("token", "list");
        Cli.Environment.Remove("KEYWARDEN_ADDR");
        var localList = await Cli.RunAsync("token", "list", "--json");
        Cli.Environment["KEYWARDEN_ADDR"] = address;
        var id = JsonNode.Parse(issue.Out)!["id"]!.GetValue<string>();
        var revoke = await Cli.RunAsync("token", "revoke", id);
        var unknown = await Cli.RunAsync("token", "revoke", "tok_FAKE0000000000000000000000");
        var logout = await Cli.RunAsync("logout");
        var after = await Cli.RunAsync("token", "list");
        Cli.Environment.Remove("KEYWARDEN_ADDR");
        var revokedList = await Cli.RunAsync("token", "list", "--json");

        Assert.True(login.ExitCode == 0, login.All);
        Assert.Contains("Logged in to", login.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("kws_", login.All, StringComparison.Ordinal);
        Assert.False(File.Exists(session)); // deleted by logout
        Assert.True(issue.ExitCode == 0, issue.All);
        Assert.StartsWith("kw_", JsonNode.Parse(issue.Out)!["token"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(remoteList.ExitCode == 0, remoteList.All);
        Assert.Equal(localList.Out, remoteList.Out);
        Assert.Contains("newsletter", localList.Out, StringComparison.Ordinal);
        Assert.Contains("paths /lists/**", table.Out, StringComparison.Ordinal);
        Assert.Equal((0, $"Revoked {id}."), (revoke.ExitCode, revoke.Out.Trim()));
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("not a token id", unknown.Error, StringComparison.Ordinal);
        Assert.Contains("\"state\": \"revoked\"", revokedList.Out, StringComparison.Ordinal);
        Assert.Equal(0, logout.ExitCode);
        Assert.Equal(2, after.ExitCode);
        Assert.Contains("not logged in, or the session expired: keywarden login", after.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SessionFile_IsCreatedOwnerOnly_AndHoldsTheAddress()
    {
        var secret = await JoinAdminAsync();
        using var serve = StartServe();
        var address = await AdminAddressAsync(serve);
        var session = Path.Combine(Scratch, "nested", "session.json");
        Cli.Environment["KEYWARDEN_SESSION_FILE"] = session;

        var login = await Cli.PipeAsync($"{OperatorCommandTests.Password}\n{NextCode(secret)}\n", "login", "--addr", address, "--name", "admin");

        Assert.True(login.ExitCode == 0, login.All);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(session));
        var saved = JsonNode.Parse(await File.ReadAllTextAsync(session, TestContext.Current.CancellationToken))!;
        Assert.Equal(address, saved["addr"]!.GetValue<string>());
        Assert.StartsWith("kws_", saved["token"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(saved["token"]!.GetValue<string>(), login.All, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(session)!, "*.tmp"));
    }

    [Fact]
    public async Task Viewer_IsRefusedTokenIssueAndMasterRotate_WithTheRoleMessage_AndAWrongPasswordIsALoginFailure()
    {
        await JoinAdminAsync();
        await Cli.AddSandboxUpstreamAsync("main");
        var invite = await Cli.RunAsync("operator", "add", "bob", "--role", "viewer", "--json");
        var code = JsonNode.Parse(invite.Out)!["code"]!.GetValue<string>();
        var (joined, bobSecret) = await OperatorCommandTests.JoinAsync(Cli, code);
        Assert.True(joined.ExitCode == 0, joined.All);
        using var serve = StartServe();
        var address = await AdminAddressAsync(serve);
        Cli.Environment["KEYWARDEN_SESSION_FILE"] = Path.Combine(Scratch, "bob.json");

        var wrong = await Cli.PipeAsync("bob\nFAKE-wrong-password-123\n000000\n", "login", "--addr", address);
        var login = await Cli.PipeAsync($"bob\n{OperatorCommandTests.Password}\n{NextCode(bobSecret)}\n", "login", "--addr", address);
        Cli.Environment["KEYWARDEN_ADDR"] = address;
        var issue = await Cli.RunAsync("token", "issue", "--upstream", "main", "--name", "app", "--path", "/lists/**");
        var list = await Cli.RunAsync("token", "list", "--json");
        var rotate = await Cli.PipeAsync($"{NextCode(bobSecret)}\n", "master", "rotate");

        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("login failed", wrong.Error, StringComparison.Ordinal);
        Assert.True(login.ExitCode == 0, login.All);
        Assert.Equal(2, issue.ExitCode);
        Assert.Contains("this needs the operator role; you have viewer", issue.Error, StringComparison.Ordinal);
        Assert.Equal(0, list.ExitCode);
        Assert.Equal(2, rotate.ExitCode);
        Assert.Equal("error: this needs the admin role; you have viewer", rotate.Error.Trim());
    }

    [Fact]
    public async Task MasterRotate_Remotely_AsksForAFreshCode_AndTheRunningServerGoesOnWithTheNewKey()
    {
        var init = await Cli.RunAsync("init");
        var (join, secret) = await OperatorCommandTests.JoinAsync(Cli, OperatorCommandTests.SetupCode().Match(init.Out).Value, codeStep: -1);
        Assert.True(join.ExitCode == 0, join.All);
        await Cli.AddSandboxUpstreamAsync("main");
        var before = await Cli.RunAsync("token", "issue", "--upstream", "main", "--name", "before", "--path", "/lists/**", "--json");
        var keyFile = Path.Combine(Cli.DataDirectory, "master.key");
        var oldKey = await File.ReadAllTextAsync(keyFile, TestContext.Current.CancellationToken);
        using var serve = StartServe();
        var address = await AdminAddressAsync(serve);
        var gateway = await serve.ListeningAsync();
        Cli.Environment["KEYWARDEN_SESSION_FILE"] = Path.Combine(Scratch, "admin.json");
        var login = await Cli.PipeAsync($"{OperatorCommandTests.Password}\n{OperatorCommandTests.CodeAt(secret, 0)}\n", "login", "--addr", address, "--name", "admin");
        Assert.True(login.ExitCode == 0, login.All);
        Cli.Environment["KEYWARDEN_ADDR"] = address;

        var rotate = await Cli.PipeAsync($"{OperatorCommandTests.CodeAt(secret, 1)}\n", "master", "rotate", "--json");
        var after = await Cli.RunAsync("token", "issue", "--upstream", "main", "--name", "after", "--path", "/lists/**", "--json");
        Cli.Environment.Remove("KEYWARDEN_ADDR");
        var localList = await Cli.RunAsync("upstream", "list");
        var audit = await Cli.RunAsync("audit", "tail", "--actor", "admin", "--json");

        Assert.True(rotate.ExitCode == 0, rotate.All);
        var rotated = JsonNode.Parse(rotate.Out)!;
        Assert.NotEqual(rotated["previous_master_key_id"]!.GetValue<string>(), rotated["master_key_id"]!.GetValue<string>());
        Assert.True(rotated["secrets_rewrapped"]!.GetValue<int>() >= 2, rotate.Out); // the upstream's key and the admin's TOTP secret
        Assert.Equal(keyFile, rotated["key_file"]!.GetValue<string>());
        Assert.Equal(oldKey, await File.ReadAllTextAsync(rotated["previous_key_file"]!.GetValue<string>(), TestContext.Current.CancellationToken));
        Assert.NotEqual(oldKey, await File.ReadAllTextAsync(keyFile, TestContext.Current.CancellationToken));
        // The server went on with the new key: a token issued after the rotation reaches the gateway, whose snapshot of the
        // upstream is decrypted again for it; the one from before still works; the CLI here opens the vault with the new file.
        Assert.True(after.ExitCode == 0, after.All);
        await AssertServedAsync(gateway, JsonNode.Parse(after.Out)!["token"]!.GetValue<string>());
        await AssertServedAsync(gateway, JsonNode.Parse(before.Out)!["token"]!.GetValue<string>());
        Assert.True(localList.ExitCode == 0, localList.All);
        Assert.Contains("master.rotate", audit.Out, StringComparison.Ordinal);
        Assert.Contains("\"client\":\"127.0.0.1\"", audit.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(oldKey.Trim(), rotate.All + audit.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OperatorJoin_Remotely_RedeemsAndEnrolsOnTheServer_WithNoVaultHere_ThenTheNewOperatorLogsIn()
    {
        await JoinAdminAsync();
        var invite = await Cli.RunAsync("operator", "add", "carol", "--role", "viewer", "--json");
        var code = JsonNode.Parse(invite.Out)!["code"]!.GetValue<string>();
        using var serve = StartServe();
        var address = await AdminAddressAsync(serve);
        var vaultDirectory = Cli.Environment["KEYWARDEN_DATA"];
        var nowhere = Path.Combine(Scratch, "carol-has-no-vault");
        Cli.Environment["KEYWARDEN_DATA"] = nowhere;
        Cli.Environment["KEYWARDEN_SESSION_FILE"] = Path.Combine(Scratch, "carol.json");
        Cli.Environment["KEYWARDEN_ADDR"] = address;

        var wrong = await Cli.PipeAsync("kwi_FAKE00000000000000000000000000000000\nFAKE-password-carol-1\n", "operator", "join");
        var (join, secret) = await OperatorCommandTests.JoinAsync(Cli, code, codeStep: -1);
        var login = await Cli.PipeAsync($"carol\n{OperatorCommandTests.Password}\n{OperatorCommandTests.CodeAt(secret, 0)}\n", "login");
        Cli.Environment["KEYWARDEN_DATA"] = vaultDirectory;
        Cli.Environment.Remove("KEYWARDEN_ADDR");
        var listed = await Cli.RunAsync("operator", "list", "--json");

        Assert.Equal(2, wrong.ExitCode);
        Assert.True(join.ExitCode == 0, join.All);
        Assert.Contains("Welcome, carol (viewer)", join.Out, StringComparison.Ordinal);
        Assert.Equal(10, Regex.Count(join.Out, @"(?m)^  [a-z2-9]{5}(-[a-z2-9]{5}){3}$"));
        Assert.False(Directory.Exists(nowhere));
        Assert.True(login.ExitCode == 0, login.All);
        Assert.Contains("as carol (viewer)", login.Out, StringComparison.Ordinal);
        var carol = JsonNode.Parse(listed.Out)!["operators"]!.AsArray().Single(o => o!["name"]!.GetValue<string>() == "carol")!;
        Assert.True(carol["enrolled"]!.GetValue<bool>());
        Assert.DoesNotContain(OperatorCommandTests.Password, join.All + login.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MachineCredential_InKeywardenToken_WorksWithoutLogin()
    {
        await Cli.InitAsync();
        var issued = await Cli.RunAsync("operator", "credential", "issue", "ci-deploy", "--role", "operator", "--expires", "30d", "--json");
        var credential = JsonDocument.Parse(issued.Out).RootElement.GetProperty("credential").GetString()!;
        await Cli.AddSandboxUpstreamAsync("main");
        using var serve = StartServe();
        var address = await AdminAddressAsync(serve);
        Cli.Environment["KEYWARDEN_SESSION_FILE"] = Path.Combine(Scratch, "none.json");
        Cli.Environment["KEYWARDEN_ADDR"] = address;
        Cli.Environment["KEYWARDEN_TOKEN"] = credential;

        var issue = await Cli.RunAsync("token", "issue", "--upstream", "main", "--name", "ci", "--path", "/lists/**");
        var list = await Cli.RunAsync("token", "list");

        Assert.True(issue.ExitCode == 0, issue.All);
        Assert.Contains("Issued token tok_", issue.Out, StringComparison.Ordinal);
        Assert.Contains("ci", list.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(credential, issue.All + list.All, StringComparison.Ordinal);
    }

    /// <summary>init's setup code redeemed by 'operator join': the first admin, and its TOTP secret.</summary>
    private async Task<string> JoinAdminAsync()
    {
        var init = await Cli.RunAsync("init");
        Assert.True(init.ExitCode == 0, init.All);
        var (join, secret) = await OperatorCommandTests.JoinAsync(Cli, OperatorCommandTests.SetupCode().Match(init.Out).Value);
        Assert.True(join.ExitCode == 0, join.All);
        return secret;
    }

    /// <summary>
    /// The next step's code: the one of now was spent by 'operator join' (a code is taken once), and the server takes
    /// one step ahead for clock drift.
    /// </summary>
    private static string NextCode(string base32) =>
        new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(base32)).ComputeTotp(DateTime.UtcNow.AddSeconds(30));

    /// <summary>The gateway serves the token issued remotely, once it has reached it through the change feed.</summary>
    private static async Task AssertServedAsync(Uri gateway, string token)
    {
        using var http = Loopback.Client(gateway);
        await Wait.UntilAsync(
            async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "3.0/lists") { Headers = { Authorization = BasicAuth.Header(token) } };
                using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
                return response.StatusCode == HttpStatusCode.OK;
            },
            "the gateway serves the token issued through the admin API");
    }

    private ServeProcess StartServe() =>
        ServeProcess.Start(Cli, "serve", "--listen", "http://127.0.0.1:0", "--admin-listen", "127.0.0.1:0", "--no-monitor");

    private static async Task<string> AdminAddressAsync(ServeProcess serve)
    {
        var line = await serve.WaitForLineAsync(serve.Out, l => AdminBanner().IsMatch(l), "the admin API's address");
        return AdminBanner().Match(line).Groups[1].Value;
    }

    [GeneratedRegex(@"^  Admin API: (http://[^ ]+/)v1/")]
    private static partial Regex AdminBanner();
}
