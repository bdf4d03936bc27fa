using Keywarden.Application;
using Keywarden.Cli.Infrastructure;
using Keywarden.Core.Policy;

namespace Keywarden.Cli.Tests;

/// <summary>The CLI words every vault refusal; where an option, command or variable helps, its words name it.</summary>
/// <remarks>In the test root, not <c>Infrastructure/</c>: that namespace would hide <c>Keywarden.Cli.Infrastructure</c> from the other tests.</remarks>
public sealed class VaultWordsTests
{
    /// <summary>The codes whose remedy is the CLI's to name (an option, a command, a variable, a shell command), and what the words name.</summary>
    private static readonly Dictionary<VaultErrorCode, string> Remedies = new()
    {
        [VaultErrorCode.TokenNameInvalid] = "--name",
        [VaultErrorCode.UpstreamNotFound] = "'keywarden upstream list'",
        [VaultErrorCode.NotATokenId] = "'keywarden token list'",
        [VaultErrorCode.KeyNotVerified] = "--no-verify",
        [VaultErrorCode.WrongMasterKey] = "KEYWARDEN_MASTER_KEY",
        [VaultErrorCode.MasterKeyFileMissing] = "--master-key-file",
        [VaultErrorCode.MasterKeyFileTooOpen] = "chmod 600",
        [VaultErrorCode.NoDataDirectory] = "--data",
        [VaultErrorCode.AlertNotFound] = "'keywarden alerts list --state all'",
        [VaultErrorCode.AlertAlreadyAcknowledged] = "keywarden alerts resolve",
        [VaultErrorCode.AlertLimitInvalid] = "--limit",
        [VaultErrorCode.NotificationTargetNotFound] = "'keywarden notify list'",
        [VaultErrorCode.LoginFailed] = "keywarden login",
        [VaultErrorCode.OperatorNotFound] = "'keywarden operator list'",
        [VaultErrorCode.SessionInvalid] = "keywarden login",
        [VaultErrorCode.LastAdmin] = "keywarden operator role",
        [VaultErrorCode.MachineCredentialExpiryInvalid] = "--expires",
        [VaultErrorCode.MachineCredentialNotFound] = "'keywarden operator credential list'",
    };

    public static TheoryData<VaultErrorCode> Codes => new(Enum.GetValues<VaultErrorCode>());

    [Theory]
    [MemberData(nameof(Codes))]
    public void Say_OfEveryCode_IsWords_TheCliOnesWhereTheCliHelps_ElseTheNeutralOnes(VaultErrorCode code)
    {
        var neutral = new VaultException(code, "news", "the cause");

        var words = VaultWords.Say(neutral);

        Assert.False(string.IsNullOrWhiteSpace(words));
        if (Remedies.TryGetValue(code, out var remedy))
        {
            Assert.Contains(remedy, words, StringComparison.Ordinal);
            Assert.DoesNotContain(remedy, neutral.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(neutral.Message, words);
        }
    }

    [Fact]
    public void Say_KeepsTheCliMessagesAsTheyWere()
    {
        Assert.Equal(
            "no Keywarden data in /srv/kw: run 'keywarden init' first (or pass --data / set KEYWARDEN_DATA)",
            VaultWords.Say(new VaultException(VaultErrorCode.NoDataDirectory, "/srv/kw")));
        Assert.Equal(
            "no upstream named 'news' (see 'keywarden upstream list')",
            VaultWords.Say(new VaultException(VaultErrorCode.UpstreamNotFound, "news")));
        Assert.Equal(
            "a token needs a --name of 1 to 100 characters saying what it is for",
            VaultWords.Say(new VaultException(VaultErrorCode.TokenNameInvalid)));
        Assert.Equal(
            "this store is encrypted with master key mk_a, but the configured master key is mk_b: wrong KEYWARDEN_MASTER_KEY or key file",
            VaultWords.Say(new VaultException(VaultErrorCode.WrongMasterKey, "mk_a", "mk_b")));
    }

    [Fact]
    public void Say_OfARefusedPolicy_IsThePolicysCliWords()
    {
        var problem = new PolicyProblem(PolicyProblemCode.InvalidCidr, "10.0.0.0/33");

        Assert.Equal(PolicyWords.Say(problem), VaultWords.Say(new VaultException(problem)));
    }

    [Fact]
    public void MessageOf_AnotherException_IsItsMessage()
    {
        Assert.Equal("disk gone", VaultWords.MessageOf(new IOException("disk gone")));
    }
}
