using Keywarden.Core.Audit;
using Keywarden.Core.Operators;

namespace Keywarden.Core.Tests.Operators;

public sealed class OperatorSecretTests
{
    public static TheoryData<OperatorSecretKind, string> Kinds => new()
    {
        { OperatorSecretKind.Session, "kws_" },
        { OperatorSecretKind.Machine, "kwm_" },
        { OperatorSecretKind.Invitation, "kwi_" },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Generate_HasTheKindsPrefixAndAValidChecksum(OperatorSecretKind kind, string prefix)
    {
        var secret = OperatorSecret.Generate(kind);

        Assert.Matches("^" + prefix + "[0-9A-Za-z]{36}$", secret.Value);
        Assert.Equal(OperatorSecret.Length, secret.Value.Length);
        Assert.Equal(kind, secret.Kind);
        Assert.Equal(prefix, OperatorSecret.PrefixOf(kind));
        Assert.True(OperatorSecret.TryParse(kind, secret.Value, out var parsed));
        Assert.Equal(secret.Value, parsed.Value);
    }

    [Fact]
    public void TryParse_ASecretOfAnotherKind_IsRefused()
    {
        var session = OperatorSecret.Generate(OperatorSecretKind.Session);
        var sameRandomAsMachine = "kwm_" + session.Value[4..];

        Assert.False(OperatorSecret.TryParse(OperatorSecretKind.Machine, session.Value, out _));
        Assert.False(OperatorSecret.TryParse(OperatorSecretKind.Invitation, session.Value, out _));
        Assert.True(OperatorSecret.IsValid(OperatorSecretKind.Machine, sameRandomAsMachine)); // the checksum covers the random part only
    }

    [Theory]
    [InlineData("")]
    [InlineData("kws_")]
    [InlineData("kws_000000000000000000000000000000000000")]
    [InlineData("KWS_0123456789abcdefghijABCDEFGHIJ012345")]
    [InlineData("kws_0123456789abcdefghijABCDEFGHIJ01234!")]
    public void TryParse_NoiseOrWrongChecksum_IsRefused(string text) =>
        Assert.False(OperatorSecret.TryParse(OperatorSecretKind.Session, text, out _));

    [Fact]
    public void ToString_NeverShowsTheSecret()
    {
        var secret = OperatorSecret.Generate(OperatorSecretKind.Session);

        Assert.Equal("kws_…(40)", secret.ToString());
    }

    [Fact]
    public void Matches_TheStoredSha256_InConstantTime()
    {
        var secret = OperatorSecret.Generate(OperatorSecretKind.Machine);
        var other = OperatorSecret.Generate(OperatorSecretKind.Machine);

        Assert.True(secret.Matches(secret.ComputeHash()));
        Assert.False(other.Matches(secret.ComputeHash()));
        Assert.Equal(32, secret.ComputeHash().Length);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void AuditLink_RedactsAnOperatorSecretAnywhereInTheEntry(OperatorSecretKind kind, string prefix)
    {
        var secret = OperatorSecret.Generate(kind).Value;
        var entry = AuditEntry.ForAdmin(DateTimeOffset.UnixEpoch, "alice", "operator.login", "alice", $"presented {secret} here") with
        {
            UserAgent = "agent " + secret,
            Path = "/v1/x?t=" + secret,
        };

        var record = AuditChain.Link(1, AuditChain.Genesis, entry);

        foreach (var value in new[] { record.Entry.Detail, record.Entry.UserAgent, record.Entry.Path })
        {
            Assert.Contains("[redacted]", value, StringComparison.Ordinal);
            Assert.DoesNotContain(secret[prefix.Length..], value, StringComparison.Ordinal);
        }

        Assert.Equal("presented [redacted] here", record.Entry.Detail);
        Assert.True(AuditChain.Verify([record]).Intact);
    }

    [Fact]
    public void AuditLink_LeavesTextThatOnlyMentionsTheWordKwAlone()
    {
        var entry = AuditEntry.ForAdmin(DateTimeOffset.UnixEpoch, "kwame", "operator.add", "kws_short", "invited kwi_ (code shown once)");

        var record = AuditChain.Link(1, AuditChain.Genesis, entry);

        Assert.Same(entry.Detail, record.Entry.Detail);
        Assert.Equal("kwame", record.Entry.Actor);
    }
}
