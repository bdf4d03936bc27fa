using Keywarden.Storage.Contract;
using Keywarden.Storage.Sqlite.Tests.Support;

namespace Keywarden.Storage.Sqlite.Tests;

public sealed class OperatorStoreTests : OperatorStoreContract
{
    private readonly TestDatabase _database = new();

    protected override IContractDatabase Database => _database;
}
