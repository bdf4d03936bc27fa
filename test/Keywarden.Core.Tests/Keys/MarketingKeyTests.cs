using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Keywarden.Core.Keys;

namespace Keywarden.Core.Tests.Keys;

public sealed class MarketingKeyTests
{
    private static readonly Gen<string> Hex32 =
        Gen.ArrayOf(Gen.Elements("0123456789abcdef".ToCharArray()), 32).Select(c => new string(c));

    [Fact]
    public void Parse_ValidKey_ExposesDatacenterAndAddresses()
    {
        var key = MarketingKey.Parse("0123456789abcdef0123456789abcdef-us21");

        Assert.Equal("us21", key.Datacenter);
        Assert.Equal(new Uri("https://us21.api.mailchimp.com/"), key.ApiBaseAddress);
        Assert.Equal(new Uri("https://us21.admin.mailchimp.com/account/api/"), key.AdminKeysPage);
        Assert.Equal("0123", key.Prefix);
    }

    [Property(MaxTest = 300)]
    public Property Parse_AnyWellFormedKey_RoundTrips() =>
        Prop.ForAll(Arb.From(Hex32), Arb.From(Gen.Choose(1, 99)), (hex, dc) =>
        {
            var text = $"{hex}-us{dc}";
            return MarketingKey.TryParse(text, out var key) && key.Value == text && key.Datacenter == $"us{dc}";
        });

    [Theory]
    [InlineData("0123456789ABCDEF0123456789abcdef-us21")] // upper case
    [InlineData("0123456789abcdef0123456789abcde-us21")] // 31 hex
    [InlineData("0123456789abcdef0123456789abcdef0-us21")] // 33 hex
    [InlineData("0123456789abcdef0123456789abcdef-eu1")]
    [InlineData("0123456789abcdef0123456789abcdef-us")]
    [InlineData("0123456789abcdef0123456789abcdef-us0")]
    [InlineData("0123456789abcdef0123456789abcdef-us100")]
    [InlineData("0123456789abcdef0123456789abcdef_us21")]
    [InlineData("")]
    public void Parse_Malformed_IsRejected(string text) => Assert.False(MarketingKey.TryParse(text, out _));

    [Fact]
    public void Parse_Failure_NeverEchoesTheInput()
    {
        const string canary = "0123456789abcdef0123456789abcdeZ-us21";

        var error = Assert.Throws<FormatException>(() => MarketingKey.Parse(canary));

        Assert.DoesNotContain("0123456789abcdef", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_ShowsOnlyTheFirstFourCharacters()
    {
        var key = MarketingKey.Parse("0123456789abcdef0123456789abcdef-us21");

        Assert.Equal("0123…(37)", key.ToString());
    }

    [Fact]
    public void Fingerprint_IsStableAndDiffersBetweenKeys()
    {
        var a = MarketingKey.Parse("0123456789abcdef0123456789abcdef-us21");
        var b = MarketingKey.Parse("1123456789abcdef0123456789abcdef-us21");

        Assert.Equal(a.Fingerprint, MarketingKey.Parse(a.Value).Fingerprint);
        Assert.NotEqual(a.Fingerprint, b.Fingerprint);
        Assert.Equal(64, a.Fingerprint.Length);
    }
}
