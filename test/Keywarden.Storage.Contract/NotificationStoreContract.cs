using Keywarden.Core.Audit;
using Keywarden.Core.Crypto;
using Keywarden.Core.Monitoring;

namespace Keywarden.Storage.Contract;

/// <summary>
/// <see cref="INotificationStore"/>: webhook targets with their sealed URL and secret, and the outbox of alert deliveries
/// (queued once per alert and target, due until delivered, cancelled with their target, re-wrapped with the master key).
/// </summary>
public abstract class NotificationStoreContract : StoreContract
{
    private const string Notice = """{"id":"al_1","severity":"warning"}""";

    [Fact]
    public async Task AddTarget_IsListedAndFound_WithItsSecretSealedAsGiven_AndAudited()
    {
        var target = Target("nt_1", AlertSeverity.Warning);
        var entry = AuditEntry.ForAdmin(Samples.T0, "alice", "notify.add", "nt_1", "webhook https://hooks.example.test/… (generic, warning and above)");
        var head = await HeadAsync();

        await Store.AddTargetAsync(target, entry, Ct);

        var listed = Assert.Single(await Store.ListTargetsAsync(Ct));
        AssertSame(target, listed);
        AssertSame(target, (await Store.FindTargetAsync("nt_1", Ct))!);
        Assert.Equal("https://hooks.example.test/services/FAKE|secret", EnvelopeCipher.OpenString(Master, "nt_1", listed.Secret));
        Assert.Equal(entry, Assert.Single(await Store.ReadAsync(head, 10, Ct)).Entry);
        Assert.Null(await Store.FindTargetAsync("nt_2", Ct));
    }

    [Fact]
    public async Task AddTarget_WithATakenId_IsAConflict_AndAppendsNothing()
    {
        await Store.AddTargetAsync(Target("nt_1", AlertSeverity.Info), AuditSamples.Change, Ct);
        var head = await HeadAsync();

        var error = await Assert.ThrowsAsync<StorageException>(() => Store.AddTargetAsync(Target("nt_1", AlertSeverity.Critical), AuditSamples.Change, Ct));

        Assert.Equal(StorageError.Conflict, error.Error);
        Assert.Empty(await Store.ReadAsync(head, 10, Ct));
        Assert.Equal(AlertSeverity.Info, Assert.Single(await Store.ListTargetsAsync(Ct)).MinSeverity);
    }

    [Fact]
    public async Task Enqueue_QueuesForEachTargetTheSeverityReaches_Once()
    {
        await Store.AddTargetAsync(Target("nt_info", AlertSeverity.Info), AuditSamples.Change, Ct);
        await Store.AddTargetAsync(Target("nt_warning", AlertSeverity.Warning), AuditSamples.Change, Ct);
        await Store.AddTargetAsync(Target("nt_critical", AlertSeverity.Critical), AuditSamples.Change, Ct);

        var queued = await Store.EnqueueAsync("al_1", AlertSeverity.Warning, Samples.T0.AddMinutes(1), Notice, Samples.T0.AddMinutes(1), Ct);
        var again = await Store.EnqueueAsync("al_1", AlertSeverity.Warning, Samples.T0.AddMinutes(1), Notice, Samples.T0.AddMinutes(2), Ct);

        Assert.Equal(2, queued);
        Assert.Equal(0, again);
        var deliveries = await Store.ListDeliveriesAsync("al_1", Ct);
        Assert.Equal(["nt_info", "nt_warning"], deliveries.Select(d => d.TargetId).Order(StringComparer.Ordinal));
        Assert.All(deliveries, d =>
        {
            Assert.Equal(DeliveryState.Pending, d.State);
            Assert.Equal(0, d.Attempts);
            Assert.Equal(Notice, d.Notice);
            Assert.Equal(Samples.T0.AddMinutes(1), d.NextAttemptAt);
        });
    }

    [Fact]
    public async Task Enqueue_SkipsTargetsAddedAfterTheAlertWasRaised()
    {
        await Store.AddTargetAsync(Target("nt_later", AlertSeverity.Info, createdAt: Samples.T0.AddHours(1)), AuditSamples.Change, Ct);

        Assert.Equal(0, await Store.EnqueueAsync("al_old", AlertSeverity.Critical, Samples.T0, Notice, Samples.T0.AddHours(2), Ct));
        Assert.Empty(await Store.ListDeliveriesAsync("al_old", Ct));
    }

    [Fact]
    public async Task Due_FailedAndDelivered_FollowTheAttempts()
    {
        await Store.AddTargetAsync(Target("nt_1", AlertSeverity.Info), AuditSamples.Change, Ct);
        var now = Samples.T0.AddMinutes(5);
        Assert.Null(await Store.NextDueAsync(Ct));
        await Store.EnqueueAsync("al_1", AlertSeverity.Info, now, Notice, now, Ct);
        await Store.EnqueueAsync("al_2", AlertSeverity.Info, now, Notice, now.AddSeconds(1), Ct);

        var due = await Store.DueDeliveriesAsync(now, 10, Ct);
        var first = Assert.Single(due);
        Assert.Equal("al_1", first.AlertId);
        Assert.Equal(now, await Store.NextDueAsync(Ct));

        await Store.MarkFailedAsync(first.Id, "HTTP 503", now.AddSeconds(30), Ct);
        Assert.Equal(["al_2"], (await Store.DueDeliveriesAsync(now.AddSeconds(10), 10, Ct)).Select(d => d.AlertId));
        var failed = Assert.Single(await Store.ListDeliveriesAsync("al_1", Ct));
        Assert.Equal((DeliveryState.Pending, 1, "HTTP 503", now.AddSeconds(30)), (failed.State, failed.Attempts, failed.LastError, failed.NextAttemptAt));

        await Store.MarkDeliveredAsync(first.Id, now.AddSeconds(31), Ct);
        var delivered = Assert.Single(await Store.ListDeliveriesAsync("al_1", Ct));
        Assert.Equal((DeliveryState.Delivered, 2, (string?)null, (DateTimeOffset?)now.AddSeconds(31)), (delivered.State, delivered.Attempts, delivered.LastError, delivered.DeliveredAt));
        Assert.Equal(["al_2"], (await Store.DueDeliveriesAsync(now.AddHours(1), 10, Ct)).Select(d => d.AlertId));

        await Store.MarkFailedAsync(first.Id, "late failure", now.AddHours(1), Ct);
        Assert.Equal(DeliveryState.Delivered, Assert.Single(await Store.ListDeliveriesAsync("al_1", Ct)).State);
    }

    [Fact]
    public async Task Due_HonoursTheLimit_OldestDueFirst()
    {
        await Store.AddTargetAsync(Target("nt_1", AlertSeverity.Info), AuditSamples.Change, Ct);
        for (var i = 0; i < 5; i++)
        {
            await Store.EnqueueAsync("al_" + i, AlertSeverity.Info, Samples.T0, Notice, Samples.T0.AddSeconds(10 - i), Ct);
        }

        var due = await Store.DueDeliveriesAsync(Samples.T0.AddMinutes(1), 2, Ct);

        Assert.Equal(["al_4", "al_3"], due.Select(d => d.AlertId));
    }

    [Fact]
    public async Task RemoveTarget_CancelsItsPendingDeliveries_KeepsTheDelivered_AndIsAudited()
    {
        await Store.AddTargetAsync(Target("nt_1", AlertSeverity.Info), AuditSamples.Change, Ct);
        await Store.AddTargetAsync(Target("nt_2", AlertSeverity.Info), AuditSamples.Change, Ct);
        await Store.EnqueueAsync("al_1", AlertSeverity.Info, Samples.T0, Notice, Samples.T0, Ct);
        await Store.EnqueueAsync("al_2", AlertSeverity.Info, Samples.T0, Notice, Samples.T0, Ct);
        var delivered = (await Store.ListDeliveriesAsync("al_1", Ct)).Single(d => d.TargetId == "nt_1");
        await Store.MarkDeliveredAsync(delivered.Id, Samples.T0.AddSeconds(1), Ct);
        var entry = AuditEntry.ForAdmin(Samples.T0, "alice", "notify.remove", "nt_1");
        var head = await HeadAsync();

        Assert.True(await Store.RemoveTargetAsync("nt_1", entry, Ct));

        Assert.Equal(entry, Assert.Single(await Store.ReadAsync(head, 10, Ct)).Entry);
        Assert.Equal("nt_2", Assert.Single(await Store.ListTargetsAsync(Ct)).Id);
        Assert.Equal(DeliveryState.Delivered, (await Store.ListDeliveriesAsync("al_1", Ct)).Single(d => d.TargetId == "nt_1").State);
        Assert.Equal(DeliveryState.Cancelled, (await Store.ListDeliveriesAsync("al_2", Ct)).Single(d => d.TargetId == "nt_1").State);
        Assert.All(await Store.DueDeliveriesAsync(Samples.T0.AddDays(1), 10, Ct), d => Assert.Equal("nt_2", d.TargetId));
        Assert.False(await Store.RemoveTargetAsync("nt_1", entry, Ct));
    }

    [Fact]
    public async Task RewrapAll_MovesTheTargetsSecretsToTheNewMasterKey()
    {
        await Store.SetMasterKeyIdAsync(Master.Id, Ct);
        await Store.AddTargetAsync(Target("nt_1", AlertSeverity.Info), AuditSamples.Change, Ct);
        using var newMaster = MasterKey.Generate();

        var count = await Store.RewrapAllAsync((id, secret) => EnvelopeCipher.Rewrap(Master, newMaster, id, secret), newMaster.Id, _ => AuditSamples.Change, Ct);

        Assert.Equal(1, count);
        var target = Assert.Single(await Store.ListTargetsAsync(Ct));
        Assert.Equal(newMaster.Id, target.Secret.MasterKeyId);
        Assert.Equal("https://hooks.example.test/services/FAKE|secret", EnvelopeCipher.OpenString(newMaster, "nt_1", target.Secret));
    }

    private NotificationTargetRecord Target(string id, AlertSeverity minSeverity, DateTimeOffset? createdAt = null) => new(
        id,
        NotificationFormat.Generic,
        minSeverity,
        "https://hooks.example.test/…",
        EnvelopeCipher.Seal(Master, id, "https://hooks.example.test/services/FAKE|secret"),
        createdAt ?? Samples.T0);

    private async Task<long> HeadAsync() => (await Store.TailAsync(1, Ct)).SingleOrDefault()?.Sequence ?? 0;

    private static void AssertSame(NotificationTargetRecord expected, NotificationTargetRecord actual)
    {
        Assert.Equal((expected.Id, expected.Format, expected.MinSeverity, expected.Display, expected.CreatedAt), (actual.Id, actual.Format, actual.MinSeverity, actual.Display, actual.CreatedAt));
        Assert.Equal(expected.Secret.Ciphertext, actual.Secret.Ciphertext);
        Assert.Equal(expected.Secret.WrappedDataKey, actual.Secret.WrappedDataKey);
        Assert.Equal(expected.Secret.MasterKeyId, actual.Secret.MasterKeyId);
    }
}
