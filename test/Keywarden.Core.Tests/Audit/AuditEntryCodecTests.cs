using Keywarden.Core.Audit;

namespace Keywarden.Core.Tests.Audit;

public sealed class AuditEntryCodecTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 14, 15, 9, 26, 535, TimeSpan.Zero);

    [Fact]
    public void Decode_BothForms_GivesBackTheEntry()
    {
        var older = Entry();
        var newer = Entry() with { Recipients = 0, FromDomain = "example.com", UserAgent = "" };

        Assert.Equal(older, AuditEntryCodec.Decode(AuditEntryCodec.Encode(older)));
        Assert.Equal(newer, AuditEntryCodec.Decode(AuditEntryCodec.Encode(newer)));
    }

    [Fact]
    public void Encode_NormalisesTheFacts_AsTheChainStoresThem()
    {
        var entry = Entry() with { UserAgent = "client kw_0123456789abcdefghijABCDEFGHIJ012345 " + new string('x', 400) }; // FAKE token

        var decoded = AuditEntryCodec.Decode(AuditEntryCodec.Encode(entry))!;

        Assert.Equal(AuditChain.Link(1, AuditChain.Genesis, entry).Entry, decoded);
        Assert.StartsWith("client [redacted] xxx", decoded.UserAgent, StringComparison.Ordinal);
        Assert.Equal(AuditEntry.MaxUserAgentLength, decoded.UserAgent!.Length);
    }

    [Theory]
    [InlineData(new byte[] { 0x02, 0, 0, 1, 0, 0, 0, 0 })] // an unknown extension tag
    [InlineData(new byte[] { 0x01, 0, 0, 0 })] // the tag with no fact present: never written
    [InlineData(new byte[] { 0x01, 1, 0xff, 0xff, 0xff, 0xff, 0, 0 })] // recipients -1
    [InlineData(new byte[] { 0x01, 2, 0, 0 })] // a presence byte that is neither 0 nor 1
    [InlineData(new byte[] { 0x01, 0, 0, 1, 0, 0, 0 })] // a truncated user agent
    [InlineData(new byte[] { 0x01, 0, 0, 1, 0, 0, 0, 0, 0 })] // a byte after the facts
    [InlineData(new byte[] { 0x01 })] // the tag alone
    public void Decode_FactsThatEncodeNeverWrites_IsNull(byte[] tail)
    {
        var older = AuditEntryCodec.Encode(Entry());

        Assert.Null(AuditEntryCodec.Decode([.. older, .. tail]));
    }

    [Fact]
    public void Encode_NegativeRecipients_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => AuditEntryCodec.Encode(Entry() with { Recipients = -3 }));
    }

    private static AuditEntry Entry() =>
        new(T0, AuditKind.Request, "tok_7gq2m0x4k9c1", "up_mandrill", "key_1", "203.0.113.7", "messages/send", "/messages/send", AuditDecision.Allow, "allow", 200, 12.5, 10, 20);
}
