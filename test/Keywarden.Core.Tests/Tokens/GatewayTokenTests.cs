using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Keywarden.Core.Tokens;

namespace Keywarden.Core.Tests.Tokens;

public sealed class GatewayTokenTests
{
    [Fact]
    public void Generate_ProducesTokenOfTheDocumentedShape()
    {
        var token = GatewayToken.Generate();

        Assert.Matches("^kw_[0-9A-Za-z]{36}$", token.Value);
        Assert.True(GatewayToken.IsValid(token.Value));
    }

    [Fact]
    public void Generate_TwiceGivesDifferentTokens()
    {
        var tokens = Enumerable.Range(0, 1000).Select(_ => GatewayToken.Generate().Value).ToHashSet();

        Assert.Equal(1000, tokens.Count);
    }

    [Fact]
    public void Checksum_IsCrc32OfTheRandomPartInBase62BigEndian()
    {
        var random = new string('0', 30);
        var crc = System.IO.Hashing.Crc32.HashToUInt32(System.Text.Encoding.ASCII.GetBytes(random));
        var expected = ToBase62(crc).PadLeft(6, '0');

        Assert.True(GatewayToken.IsValid("kw_" + random + expected));
        Assert.False(GatewayToken.IsValid("kw_" + random + "000000"));
    }

    [Fact]
    public void ToString_NeverShowsTheSecret()
    {
        var token = GatewayToken.Generate();

        Assert.DoesNotContain(token.Value[3..], token.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("kw_", token.ToString(), StringComparison.Ordinal);
    }

    [Property(MaxTest = 300)]
    public bool Validate_GeneratedToken_RoundTrips(int seed)
    {
        _ = seed;
        var token = GatewayToken.Generate();
        return GatewayToken.TryParse(token.Value, out var parsed) && parsed.Value == token.Value;
    }

    [Property(MaxTest = 500)]
    public Property Validate_TokenWithOneCharacterChanged_IsRejected() =>
        Prop.ForAll(
            Arb.From(Gen.Choose(3, GatewayToken.Length - 1)),
            Arb.From(Gen.Elements(Base62.Alphabet.ToCharArray())),
            (position, replacement) =>
            {
                var value = GatewayToken.Generate().Value.ToCharArray();
                if (value[position] == replacement)
                {
                    return true; // not a change
                }

                value[position] = replacement;
                // CRC32 detects every single-character change.
                return !GatewayToken.IsValid(new string(value));
            });

    [Property(MaxTest = 500)]
    public bool Validate_RandomStrings_AreRejected(string text) =>
        text is null || !GatewayToken.IsValid(text) || text.StartsWith("kw_", StringComparison.Ordinal);

    [Theory]
    [InlineData("")]
    [InlineData("kw_")]
    [InlineData("KW_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("kw-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void Validate_Malformed_IsRejected(string text) => Assert.False(GatewayToken.IsValid(text));

    [Fact]
    public void TryParsePresented_IgnoresADatacenterSuffix()
    {
        var token = GatewayToken.Generate();

        Assert.True(GatewayToken.TryParsePresented(token.Value + "-us21", out var parsed));
        Assert.Equal(token.Value, parsed.Value);
        Assert.False(GatewayToken.TryParsePresented(token.Value + "-eu1", out _));
        Assert.False(GatewayToken.TryParsePresented(token.Value + "x", out _));
    }

    [Fact]
    public void Matches_ComparesAgainstTheStoredHash()
    {
        var token = GatewayToken.Generate();
        var other = GatewayToken.Generate();

        Assert.True(token.Matches(token.ComputeHash()));
        Assert.False(token.Matches(other.ComputeHash()));
        Assert.Equal(32, token.ComputeHash().Length);
    }

    [Fact]
    public void AccessorId_IsRandomAndWellFormed()
    {
        var a = AccessorId.New();
        var b = AccessorId.New();

        Assert.NotEqual(a, b);
        Assert.True(AccessorId.IsValid(a));
        Assert.False(AccessorId.IsValid("tok_ABC"));
    }

    private static string ToBase62(uint value)
    {
        const string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        var s = "";
        do
        {
            s = alphabet[(int)(value % 62)] + s;
            value /= 62;
        }
        while (value > 0);
        return s;
    }
}
