namespace Keywarden.IntegrationTests.Compat;

/// <summary>test/compat/marketing.mjs with a Marketing key of a us19 account.</summary>
public sealed class MarketingClientFixture() : CompatFixture("marketing.mjs", "marketing", "us19");
