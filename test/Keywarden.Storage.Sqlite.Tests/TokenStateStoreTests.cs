using Keywarden.Storage.Contract;
using Keywarden.Storage.Sqlite.Tests.Support;

namespace Keywarden.Storage.Sqlite.Tests;

public sealed class TokenStateStoreTests : TokenStateStoreContract
{
    private readonly TestDatabase _database = new();

    protected override IContractDatabase Database => _database;
}
