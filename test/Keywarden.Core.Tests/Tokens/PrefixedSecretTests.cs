using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Keywarden.Core.Tokens;

namespace Keywarden.Core.Tests.Tokens;

public sealed class PrefixedSecretTests
{
    [Fact]
    public void Generate_IsPrefixThirtyRandomAndSixChecksumCharacters()
    {
        var format = new PrefixedSecret("zz_");

        var secret = format.Generate();

        Assert.Matches("^zz_[0-9A-Za-z]{36}$", secret);
        Assert.Equal(format.Length, secret.Length);
        Assert.True(format.IsValid(secret));
    }

    [Fact]
    public void IsValid_SameRandomPartUnderAnotherPrefix_IsRejected()
    {
        var secret = new PrefixedSecret("aa_").Generate();

        Assert.False(new PrefixedSecret("bb_").IsValid(secret));
    }

    [Fact]
    public void Checksum_IsTheGatewayTokensChecksum_SoTheFormatsAgree()
    {
        var token = GatewayToken.Generate().Value;

        Assert.True(new PrefixedSecret("kw_").IsValid(token));
        Assert.True(new PrefixedSecret("xyz_").IsValid("xyz_" + token[3..]));
    }

    [Fact]
    public void Matches_ComparesWithTheStoredSha256()
    {
        var secret = new PrefixedSecret("zz_").Generate();
        var hash = PrefixedSecret.ComputeHash(secret);

        Assert.Equal(32, hash.Length);
        Assert.True(PrefixedSecret.Matches(secret, hash));
        Assert.False(PrefixedSecret.Matches(new PrefixedSecret("zz_").Generate(), hash));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a-b")]
    [InlineData("ü_")]
    public void Constructor_RefusesAPrefixThatIsNotPlainAscii(string prefix) =>
        Assert.ThrowsAny<ArgumentException>(() => new PrefixedSecret(prefix));

    [Property(MaxTest = 300)]
    public Property IsValid_SecretWithOneCharacterChanged_IsRejected() =>
        Prop.ForAll(
            Arb.From(Gen.Choose(4, 39)),
            Arb.From(Gen.Elements(Base62.Alphabet.ToCharArray())),
            (position, replacement) =>
            {
                var format = new PrefixedSecret("kwx_");
                var value = format.Generate().ToCharArray();
                if (value[position] == replacement)
                {
                    return true; // not a change
                }

                value[position] = replacement;
                return !format.IsValid(new string(value));
            });
}
