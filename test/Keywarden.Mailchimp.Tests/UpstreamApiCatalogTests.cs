using Keywarden.Core.Keys;
using Keywarden.Core.Providers;

namespace Keywarden.Mailchimp.Tests;

public sealed class UpstreamApiCatalogTests
{
    private const string Marketing = "0123456789abcdef0123456789abcdef-us21";
    private const string Transactional = "md-abcdefghijklmnopqrstuv";

    [Fact]
    public void TheCatalog_HoldsBothMailchimpApis_ByKindAndByName()
    {
        var catalog = MailchimpApis.Catalog;

        Assert.Equal(["marketing", "transactional"], catalog.Names);
        Assert.Equal(UpstreamKind.Marketing, catalog.Get(UpstreamKind.Marketing).Kind);
        Assert.True(catalog.TryGet("transactional", out var api));
        Assert.Equal(UpstreamKind.Transactional, api.Kind);
        Assert.False(catalog.TryGet("Marketing", out _)); // names are exact
    }

    [Theory]
    [InlineData(Marketing, UpstreamKind.Marketing)]
    [InlineData(Transactional, UpstreamKind.Transactional)]
    public void AKey_IsParsedByTheApiWhoseFormatItHas(string text, UpstreamKind kind)
    {
        Assert.True(MailchimpApis.Catalog.TryParseAnyKey(text, out var api, out var key));
        Assert.Equal(kind, api.Kind);
        Assert.Equal(kind, key.Kind);
        Assert.Equal(text, key.Value);
    }

    [Theory]
    [InlineData("kw_0123456789abcdefghijklmnopqrstuvwxyz")]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("")]
    public void TextOfNoKnownFormat_IsNoKey(string text) =>
        Assert.False(MailchimpApis.Catalog.TryParseAnyKey(text, out _, out _));

    [Fact]
    public void TwoApisOfOneKind_AreRefused()
    {
        var marketing = MailchimpApis.Catalog.Get(UpstreamKind.Marketing);

        Assert.Throws<ArgumentException>(() => new UpstreamApiCatalog([marketing, marketing]));
    }

    [Fact]
    public void KeysPagesAndSteps_NameWhereAndWhatToClick()
    {
        var marketing = MailchimpApis.Catalog.Get(UpstreamKind.Marketing);
        var transactional = MailchimpApis.Catalog.Get(UpstreamKind.Transactional);

        Assert.Equal("https://us21.admin.mailchimp.com/account/api/", marketing.KeysPage("us21").ToString());
        Assert.Equal("https://mandrillapp.com/settings", transactional.KeysPage(null).ToString());
        Assert.Contains("\"Create A Key\", name it \"k1\"", marketing.CreateKeyStep("k1"), StringComparison.Ordinal);
        Assert.Contains("\"+ New API Key\", describe it as \"k1\"", transactional.CreateKeyStep("k1"), StringComparison.Ordinal);
        Assert.StartsWith("revoke e562…", marketing.RevokeKeyStep("e562…"), StringComparison.Ordinal);
        Assert.StartsWith("delete e562…", transactional.RevokeKeyStep("e562…"), StringComparison.Ordinal);
    }
}
