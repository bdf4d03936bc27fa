using System.Text.Json;
using System.Text.RegularExpressions;
using OtpNet;

namespace Keywarden.Cli.Tests.Operators;

public sealed partial class OperatorCommandTests : CliTestBase
{
    internal const string Password = "FAKE-correct-horse-battery";

    [Fact]
    public async Task Init_PrintsASetupCode_JoinEnrolsTheFirstAdminWithTotp_AndNoSecretReachesTheAudit()
    {
        var init = await Cli.RunAsync("init");
        var code = SetupCode().Match(init.Out).Value;

        var (join, totpSecret) = await JoinAsync(Cli, code);
        var again = await Cli.PipeAsync($"{code}\n{Password}\n000000\n", "operator", "join");
        var list = await Cli.RunAsync("operator", "list", "--json");
        var audit = await Cli.RunAsync("audit", "export");

        Assert.StartsWith("kwi_", code, StringComparison.Ordinal);
        Assert.Equal(0, join.ExitCode);
        Assert.Contains("otpauth://totp/Keywarden:admin?", join.Out, StringComparison.Ordinal);
        Assert.Contains("█", join.Out, StringComparison.Ordinal); // the QR code
        var recovery = RecoveryCode().Matches(join.Out);
        Assert.Equal(10, recovery.Count);
        Assert.Equal(2, again.ExitCode);
        var admin = Assert.Single(JsonDocument.Parse(list.Out).RootElement.GetProperty("operators").EnumerateArray());
        Assert.Equal(("admin", "admin", true, 10), (
            admin.GetProperty("name").GetString(), admin.GetProperty("role").GetString(),
            admin.GetProperty("enrolled").GetBoolean(), admin.GetProperty("recovery_codes_left").GetInt32()));
        Assert.Equal(0, audit.ExitCode);
        Assert.Contains("operator.setup", audit.Out, StringComparison.Ordinal);
        Assert.Contains("operator.enrol", audit.Out, StringComparison.Ordinal);
        foreach (var secret in new[] { code, Password, totpSecret, recovery[0].Value })
        {
            Assert.DoesNotContain(secret, audit.Out + list.Out + again.All, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AddRoleRemove_InviteAViewer_PromoteThem_AndTheLastAdminCannotBeRemoved()
    {
        var (joined, _) = await JoinAsync(Cli, SetupCode().Match((await Cli.RunAsync("init")).Out).Value);
        Assert.True(joined.ExitCode == 0, joined.Error);

        var add = await Cli.RunAsync("operator", "add", "bob", "--role", "viewer", "--json");
        var invitation = JsonDocument.Parse(add.Out).RootElement;
        var duplicate = await Cli.RunAsync("operator", "add", "admin", "--role", "viewer"); // an operator of that name exists
        var role = await Cli.RunAsync("operator", "role", "bob", "operator");
        var lastAdmin = await Cli.RunAsync("operator", "remove", "admin");
        var table = await Cli.RunAsync("operator", "list");

        Assert.Equal(0, add.ExitCode);
        Assert.StartsWith("kwi_", invitation.GetProperty("code").GetString(), StringComparison.Ordinal);
        Assert.Equal(("bob", "viewer"), (invitation.GetProperty("name").GetString(), invitation.GetProperty("role").GetString()));
        Assert.Equal(2, duplicate.ExitCode);
        Assert.Equal(2, role.ExitCode); // bob has not joined yet: there is no operator named bob
        Assert.Contains("no operator named 'bob'", role.Error, StringComparison.Ordinal);
        Assert.Equal(2, lastAdmin.ExitCode);
        Assert.Contains("last admin", lastAdmin.Error, StringComparison.Ordinal);
        Assert.Contains("admin", table.Out, StringComparison.Ordinal);
        Assert.Contains("enrolled", table.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credential_IssuedOnce_ListedWithoutItsSecret_Revoked()
    {
        await Cli.InitAsync();

        var issue = await Cli.RunAsync("operator", "credential", "issue", "ci-deploy", "--role", "operator", "--expires", "30d", "--json");
        var credential = JsonDocument.Parse(issue.Out).RootElement.GetProperty("credential").GetString()!;
        var tooLong = await Cli.RunAsync("operator", "credential", "issue", "ci-forever", "--role", "operator", "--expires", "400d");
        var revoke = await Cli.RunAsync("operator", "credential", "revoke", "ci-deploy");
        var list = await Cli.RunAsync("operator", "credential", "list", "--json");
        var audit = await Cli.RunAsync("audit", "export");

        Assert.Equal(0, issue.ExitCode);
        Assert.StartsWith("kwm_", credential, StringComparison.Ordinal);
        Assert.Equal(2, tooLong.ExitCode);
        Assert.Contains("--expires", tooLong.Error, StringComparison.Ordinal);
        Assert.Equal(0, revoke.ExitCode);
        var row = Assert.Single(JsonDocument.Parse(list.Out).RootElement.GetProperty("machine_credentials").EnumerateArray());
        Assert.Equal(("ci-deploy", "operator"), (row.GetProperty("name").GetString(), row.GetProperty("role").GetString()));
        Assert.NotEqual(JsonValueKind.Null, row.GetProperty("revoked_at").ValueKind);
        Assert.DoesNotContain(credential, list.Out + revoke.All + audit.Out, StringComparison.Ordinal);
        Assert.Contains("machine:ci-deploy", audit.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Join_WithAWrongFirstCode_LeavesTheOperatorUnenrolled()
    {
        var init = await Cli.RunAsync("init");
        var code = SetupCode().Match(init.Out).Value;

        var join = await Cli.PipeAsync($"{code}\n{Password}\n000000\n", "operator", "join", "--no-qr");
        var list = await Cli.RunAsync("operator", "list", "--json");

        Assert.Equal(2, join.ExitCode);
        Assert.DoesNotContain("█", join.Out, StringComparison.Ordinal);
        var admin = Assert.Single(JsonDocument.Parse(list.Out).RootElement.GetProperty("operators").EnumerateArray());
        Assert.False(admin.GetProperty("enrolled").GetBoolean());
    }

    /// <summary>'operator join' with the code, a password and then a TOTP code computed from the secret it printed.</summary>
    /// <remarks>
    /// <paramref name="codeStep"/> picks the TOTP step confirming the enrolment: -1 (the previous step, taken for clock
    /// drift) leaves the current and the next step unspent, for a login and a step-up right after without waiting.
    /// </remarks>
    internal static async Task<(CliRun Run, string TotpSecret)> JoinAsync(CliFixture cli, string code, string password = Password, int codeStep = 0)
    {
        var totpSecret = "";
        var run = await cli.ConverseAsync(
            output => new ScriptedInput(
                () => code, () => password, () => CodeAt(totpSecret = SecretLine().Match(output.ToString()).Groups[1].Value, codeStep)),
            "operator", "join");
        return (run, totpSecret);
    }

    internal static string CurrentCode(string base32) => CodeAt(base32, 0);

    /// <summary>The code of the step <paramref name="step"/> steps from now (-1, 0 or 1 are taken).</summary>
    internal static string CodeAt(string base32, int step) => new Totp(Base32Encoding.ToBytes(base32)).ComputeTotp(DateTime.UtcNow.AddSeconds(30 * step));

    [GeneratedRegex(@"kwi_[0-9A-Za-z]{36}")]
    internal static partial Regex SetupCode();

    [GeneratedRegex(@"secret: ([A-Z2-7]+)")]
    private static partial Regex SecretLine();

    [GeneratedRegex(@"(?m)^  [a-z2-9]{5}(-[a-z2-9]{5}){3}$")]
    private static partial Regex RecoveryCode();
}
