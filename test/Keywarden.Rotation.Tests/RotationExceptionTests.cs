using Keywarden.Core.Crypto;
using Keywarden.Core.Keys;
using Keywarden.Core.Rotation;
using Keywarden.Storage;

namespace Keywarden.Rotation.Tests;

/// <summary>The rotation service speaks no front end's words: its messages name no option and no command.</summary>
public sealed class RotationExceptionTests
{
    private static readonly UpstreamRecord News = new(
        "up_news", "news", UpstreamKind.Marketing, "us21", null, "acc_1", TimeSpan.FromDays(90), DateTimeOffset.UnixEpoch);

    public static TheoryData<RotationErrorCode, RotationState?> CodesInEveryState()
    {
        var data = new TheoryData<RotationErrorCode, RotationState?>();
        foreach (var code in Enum.GetValues<RotationErrorCode>())
        {
            data.Add(code, null);
            foreach (var state in Enum.GetValues<RotationState>())
            {
                data.Add(code, state);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CodesInEveryState))]
    public void Message_OfEveryCode_NamesNoCliOptionOrCommand(RotationErrorCode code, RotationState? state)
    {
        var messages = new[]
        {
            new RotationException(code, News, "the cause", state).Message,
            new RotationException(code, "news", "the cause").Message,
        };

        foreach (var message in messages)
        {
            Assert.DoesNotContain("--", message, StringComparison.Ordinal);
            Assert.DoesNotContain("keywarden ", message, StringComparison.OrdinalIgnoreCase);
            Assert.False(string.IsNullOrWhiteSpace(message));
            Assert.NotEqual(code.ToString(), message);
        }
    }

    [Fact]
    public void Exception_CarriesItsCodeUpstreamDetailStateAndCause()
    {
        var cause = new InvalidOperationException("disk full");

        var e = new RotationException(RotationErrorCode.SinkFailed, News, "sink sink_1 (file:/x) did not take the new key: disk full", RotationState.Promoted, innerException: cause);

        Assert.Equal(RotationErrorCode.SinkFailed, e.Code);
        Assert.Equal("news", e.Value);
        Assert.Same(News, e.Upstream);
        Assert.Equal(RotationState.Promoted, e.State);
        Assert.Null(e.OldKey);
        Assert.Same(cause, e.InnerException);
        Assert.Equal(
            "sink sink_1 (file:/x) did not take the new key: disk full. The gateway already uses the new key and the old one still works: "
            + "do not revoke it yet. Fix the sink, then resume the rotation",
            e.Message);
    }

    [Fact]
    public void TheKeyBeingReplaced_IsCarriedAsPeopleNameIt_NeverItsSealedCopy()
    {
        var sealedCopy = new SealedSecret([1, 2, 3], [4, 5, 6], "mk_1");
        var old = new UpstreamKeyRecord("key_1", "up_news", KeySlot.Current, "e562", "billing sync", "ab12", sealedCopy, DateTimeOffset.UnixEpoch, null);

        var e = new RotationException(RotationErrorCode.RotationInProgress, News, state: RotationState.AwaitingRevocation, oldKey: old);

        Assert.Equal(KeyDisplay.Describe("e562", "billing sync"), e.OldKey);
        Assert.DoesNotContain(
            typeof(RotationException).GetProperties(),
            p => p.PropertyType == typeof(UpstreamKeyRecord) || p.PropertyType == typeof(SealedSecret));
    }

    [Fact]
    public void UnknownUpstream_IsNamed_WithoutARecord()
    {
        var e = new RotationException(RotationErrorCode.UpstreamNotFound, "nope");

        Assert.Equal("no upstream named 'nope'", e.Message);
        Assert.Equal("nope", e.Value);
        Assert.Null(e.Upstream);
    }
}
