using Keywarden.Application;
using Keywarden.Core.Monitoring;
using Keywarden.Storage;
using Keywarden.Storage.Sqlite;

namespace Keywarden.Cli.Tests;

/// <summary>Alerts raised straight into a CLI test's store, as the monitor would raise them (the CLI only reads and changes them).</summary>
internal static class AlertSeed
{
    public static readonly DateTimeOffset T0 = new(2026, 5, 4, 9, 30, 0, TimeSpan.Zero);

    /// <summary>A raise about <paramref name="tokenId"/> (or an address, when null) with a fresh id.</summary>
    public static AlertRaise Raise(
        string detector, AlertSeverity severity, string? tokenId, DateTimeOffset time, string why, string? client = "203.0.113.9", bool learning = false) =>
        new(
            Id: AlertService.NewId(),
            Detector: detector,
            Severity: severity,
            TokenId: tokenId,
            UpstreamId: tokenId is null ? null : "up_7gq2m0x4k9c1",
            Client: client,
            DedupKey: $"{detector}|{tokenId ?? client}",
            Time: time,
            Why: why,
            Learning: learning);

    /// <summary>Raises each in turn on the store of <paramref name="cli"/>'s data directory; returns the ids of the alerts, in order.</summary>
    public static async Task<IReadOnlyList<string>> RaiseAsync(CliFixture cli, params AlertRaise[] raises)
    {
        await using var store = await OpenAsync(cli);
        var ids = new List<string>();
        foreach (var raise in raises)
        {
            ids.Add((await store.RaiseAsync(raise, TestContext.Current.CancellationToken)).Alert.Id);
        }

        return ids;
    }

    /// <summary>Records an action on an alert, as the monitor does after suspending a token.</summary>
    public static async Task SetActionAsync(CliFixture cli, string id, string action)
    {
        await using var store = await OpenAsync(cli);
        await store.SetActionAsync(id, action, TestContext.Current.CancellationToken);
    }

    /// <summary>Queues alert <paramref name="id"/> to every webhook, as the monitor does, and records one failed attempt of each.</summary>
    public static async Task QueueAndFailAsync(CliFixture cli, string id, string failure, DateTimeOffset nextAttemptAt)
    {
        await using var store = await OpenAsync(cli);
        var ct = TestContext.Current.CancellationToken;
        var alert = (await store.FindAlertAsync(id, ct))!;
        await store.EnqueueAsync(id, alert.Severity, DateTimeOffset.UtcNow, """{"id":"seeded"}""", DateTimeOffset.UtcNow, ct);
        foreach (var delivery in await store.ListDeliveriesAsync(id, ct))
        {
            await store.MarkFailedAsync(delivery.Id, failure, nextAttemptAt, ct);
        }
    }

    private static Task<SqliteKeywardenStore> OpenAsync(CliFixture cli) =>
        SqliteKeywardenStore.OpenAsync(Path.Combine(cli.DataDirectory, "keywarden.db"), cancellationToken: TestContext.Current.CancellationToken);
}
