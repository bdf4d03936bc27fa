namespace Keywarden.IntegrationTests.Compat;

/// <summary>marketing.mjs with a token carrying a datacenter suffix, as libraries that derive the server from the key expect.</summary>
public sealed class MarketingThroughGatewayFixture() : GatewayCompatFixture("marketing.mjs", "news", "-us21");
