using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Keywarden.Core.Keys;

namespace Keywarden.Core.Tests.Keys;

public sealed class TransactionalKeyTests
{
    private static readonly Gen<string> Body =
        Gen.ArrayOf(Gen.Elements("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-".ToCharArray()), 22)
            .Select(c => new string(c));

    [Property(MaxTest = 300)]
    public Property Parse_ClassicAndPrefixedKeys_RoundTrip() =>
        Prop.ForAll(Arb.From(Body), Arb.From(Gen.Elements(true, false)), (body, prefixed) =>
        {
            var text = prefixed ? "md-" + body : body;
            return TransactionalKey.TryParse(text, out var key) && key.Value == text && key.IsPrefixed == prefixed;
        });

    [Theory]
    [InlineData("abcdefghijklmnopqrstu")] // 21
    [InlineData("abcdefghijklmnopqrstuvw")] // 23
    [InlineData("md-abcdefghijklmnopqrstu")]
    [InlineData("abcdefghijklmnopqrst.v")]
    [InlineData("abcdefghijklmnopqrst v")]
    public void Parse_Malformed_IsRejected(string text) => Assert.False(TransactionalKey.TryParse(text, out _));

    [Fact]
    public void Parse_Failure_NeverEchoesTheInput()
    {
        var error = Assert.Throws<FormatException>(() => TransactionalKey.Parse("md-SECRETSECRETSECRET.xyz"));

        Assert.DoesNotContain("SECRET", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UpstreamKey_Parse_DispatchesOnKind()
    {
        Assert.IsType<TransactionalKey>(UpstreamKey.Parse(UpstreamKind.Transactional, "md-abcdefghijklmnopqrstuv"));
        Assert.IsType<MarketingKey>(UpstreamKey.Parse(UpstreamKind.Marketing, "0123456789abcdef0123456789abcdef-us3"));
        Assert.Throws<FormatException>(() => UpstreamKey.Parse(UpstreamKind.Marketing, "md-abcdefghijklmnopqrstuv"));
    }
}
