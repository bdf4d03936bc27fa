using Keywarden.Cli.Infrastructure;
using Keywarden.Core.Crypto;
using Keywarden.Core.Keys;
using Keywarden.Core.Rotation;
using Keywarden.Rotation;
using Keywarden.Storage;

namespace Keywarden.Cli.Tests;

/// <summary>The CLI words every rotation refusal; where a command helps, its words name it, as they did before the codes.</summary>
/// <remarks>In the test root, beside <see cref="VaultWordsTests"/>, for the same reason.</remarks>
public sealed class RotationWordsTests
{
    private static readonly UpstreamRecord News = new(
        "up_news", "news", UpstreamKind.Marketing, "us21", null, "acc_1", TimeSpan.FromDays(90), DateTimeOffset.UnixEpoch);

    private static readonly UpstreamKeyRecord OldKey = new(
        "key_old", "up_news", KeySlot.Previous, "abcd", "keywarden-news", "f00d", new SealedSecret([1], [2], "mk_test"), DateTimeOffset.UnixEpoch, null);

    /// <summary>The codes whose remedy is the CLI's to name, and what the words name.</summary>
    private static readonly Dictionary<RotationErrorCode, string> Remedies = new()
    {
        [RotationErrorCode.UpstreamNotFound] = "'keywarden upstream list'",
        [RotationErrorCode.RotationInProgress] = "keywarden rotate confirm news --wait",
        [RotationErrorCode.NewKeyAlreadySubmitted] = "keywarden rotate confirm news --wait",
        [RotationErrorCode.NoRotationInProgress] = "keywarden rotate start news",
        [RotationErrorCode.NotAwaitingRevocation] = "keywarden rotate confirm news --wait",
        [RotationErrorCode.AbortAfterPromotion] = "keywarden rotate resume news",
        [RotationErrorCode.AbortAwaitingRevocation] = "keywarden rotate confirm news",
        [RotationErrorCode.NewKeyNotVerified] = "keywarden rotate resume news",
        [RotationErrorCode.SinkFailed] = "keywarden rotate resume news",
    };

    public static TheoryData<RotationErrorCode> Codes => new(Enum.GetValues<RotationErrorCode>());

    [Theory]
    [MemberData(nameof(Codes))]
    public void Say_OfEveryCode_IsWords_TheCliOnesWhereTheCliHelps_ElseTheNeutralOnes(RotationErrorCode code)
    {
        var neutral = new RotationException(code, News, "the cause", RotationState.AwaitingRevocation, OldKey);

        var words = RotationWords.Say(neutral);

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
        var page = RotationGuide.KeysPage(News);
        Assert.Equal(
            "no upstream named 'nope' (see 'keywarden upstream list')",
            RotationWords.Say(new RotationException(RotationErrorCode.UpstreamNotFound, "nope")));
        Assert.Equal(
            "upstream 'news' has no rotation in progress: keywarden rotate start news",
            RotationWords.Say(new RotationException(RotationErrorCode.NoRotationInProgress, News)));
        Assert.Equal(
            $"upstream 'news' already has a rotation in progress (awaiting-revocation): the old key {KeyDisplay.Describe("abcd", "keywarden-news")} "
            + $"still works until you revoke it at {page}; then: keywarden rotate confirm news --wait",
            RotationWords.Say(new RotationException(RotationErrorCode.RotationInProgress, News, state: RotationState.AwaitingRevocation, oldKey: OldKey)));
        Assert.Equal(
            "could not verify the new key: timed out. Nothing changed: it stays staged; retry with keywarden rotate resume news",
            RotationWords.Say(new RotationException(RotationErrorCode.NewKeyNotVerified, News, "timed out", RotationState.Verifying)));
        Assert.Equal(
            "the rotation of 'news' cannot be aborted: the new key is already live in the gateway, and its sinks have not all taken it yet. "
            + "The gateway already uses the new key and the old one still works: do not revoke it yet. Fix the sink, then: keywarden rotate resume news",
            RotationWords.Say(new RotationException(RotationErrorCode.AbortAfterPromotion, News, state: RotationState.Promoted)));
    }

    [Fact]
    public void MessageOf_AnotherException_IsItsVaultWordsOrMessage()
    {
        Assert.Equal("disk gone", RotationWords.MessageOf(new IOException("disk gone")));
        Assert.Equal(
            "no upstream named 'nope' (see 'keywarden upstream list')",
            RotationWords.MessageOf(new Application.VaultException(Application.VaultErrorCode.UpstreamNotFound, "nope")));
    }
}
