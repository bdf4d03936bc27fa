namespace Keywarden.IntegrationTests.Compat;

/// <summary>transactional.mjs with a token as the key.</summary>
public sealed class TransactionalThroughGatewayFixture() : GatewayCompatFixture("transactional.mjs", "mail", "");
