using Keywarden.Storage.Contract;
using Keywarden.Storage.Sqlite.Tests.Support;

namespace Keywarden.Storage.Sqlite.Tests;

public sealed class TokenStoreTests : TokenStoreContract
{
    private readonly TestDatabase _database = new();

    protected override IContractDatabase Database => _database;

    [Fact]
    public async Task AddToken_WhileAnotherConnectionHoldsTheWriteLock_WaitsForItInsteadOfFailing()
    {
        await using var other = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_database.Path};Pooling=False");
        await other.OpenAsync(Ct);
        var lockHeld = other.BeginTransaction(deferred: false);

        // Microsoft.Data.Sqlite waits for locks synchronously, so the wait happens on a thread of its own.
        var adding = Task.Run(() => Store.AddTokenAsync(Samples.Token(Upstream.Id, "tok_1"), AuditSamples.Change, Ct), Ct);
        await Task.Delay(TimeSpan.FromMilliseconds(300), Ct);
        Assert.False(adding.IsCompleted);
        lockHeld.Rollback();
        await adding;

        Assert.NotNull(await Store.FindTokenAsync("tok_1", Ct));
    }
}
