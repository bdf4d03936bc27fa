namespace Keywarden.IntegrationTests.Compat;

/// <summary>test/compat/transactional.mjs with a Transactional key.</summary>
public sealed class TransactionalClientFixture() : CompatFixture("transactional.mjs", "transactional", "us21");
