using Keywarden.Core.Monitoring;
using Keywarden.Storage.Contract;
using Keywarden.Storage.Sqlite.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Keywarden.Storage.Sqlite.Tests;

public sealed class AlertStoreTests : AlertStoreContract
{
    private readonly TestDatabase _database = new();

    protected override IContractDatabase Database => _database;

    [Fact]
    public async Task TheSchema_RefusesASecondLiveAlertForOneKey_ButNotBesideAResolvedOne()
    {
        var raise = new AlertRaise("al_first", "decoy", AlertSeverity.Critical, "tok_1", null, null, "decoy|tok_1", Samples.T0, "decoy used", Learning: false);
        await Store.RaiseAsync(raise, Ct);
        const string Insert = """
            INSERT INTO alerts (id, detector, severity, dedup_key, first_time, last_time, count, first_why, last_why, learning, state)
            VALUES ($id, 'decoy', 'critical', 'decoy|tok_1', 0, 0, 1, 'w', 'w', 0, 'open')
            """;

        // Whatever code path writes: the index, not only the upsert, keeps one live alert per key.
        var refused = await Assert.ThrowsAsync<SqliteException>(() => _database.ScalarAsync(Insert, ("$id", "al_second")));
        await Store.ResolveAsync("al_first", "alice", Samples.T0, null, Ct);
        await _database.ScalarAsync(Insert, ("$id", "al_third"));

        Assert.Contains("UNIQUE", refused.Message, StringComparison.Ordinal);
        Assert.Equal(["al_first", "al_third"], (await Store.ListAlertsAsync(new AlertQuery(), Ct)).Select(a => a.Id));
    }
}
