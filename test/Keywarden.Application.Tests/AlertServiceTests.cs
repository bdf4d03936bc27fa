using Keywarden.Core.Audit;
using Keywarden.Core.Monitoring;
using Keywarden.Storage;
using Keywarden.Storage.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Keywarden.Application.Tests;

/// <summary><see cref="AlertService"/> over a real store: a person's changes carry their name and the clock's time, refusals are typed.</summary>
public sealed class AlertServiceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 4, 9, 30, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(T0);
    private TempStore _temp = null!;
    private AlertService _alerts = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _temp = await TempStore.CreateAsync();
        _alerts = new AlertService(_temp.Store, _clock, "alice");
    }

    public ValueTask DisposeAsync() => _temp.DisposeAsync();

    [Fact]
    public async Task Acknowledge_ThenResolve_RecordTheActorAndTheClocksTime_WithTheNoteTrimmed()
    {
        var id = await RaiseAsync();
        _clock.Advance(TimeSpan.FromMinutes(5));

        var acknowledged = await _alerts.AcknowledgeAsync(id, "  looking into it \n", Ct);
        _clock.Advance(TimeSpan.FromMinutes(5));
        var resolved = await _alerts.ResolveAsync(id, " ", Ct);

        Assert.Equal(("alice", T0.AddMinutes(5), "looking into it"), (acknowledged.AcknowledgedBy, acknowledged.AcknowledgedAt, acknowledged.AcknowledgeNote));
        Assert.Equal(("alice", T0.AddMinutes(10), (string?)null), (resolved.ResolvedBy, resolved.ResolvedAt, resolved.ResolveNote));
        Assert.Equal(resolved, await _alerts.ShowAsync(id, Ct));
        var records = await _temp.Store.TailAsync(2, Ct);
        Assert.Equal(["alert.ack", "alert.resolve"], records.Select(r => r.Entry.Method));
        Assert.All(records, r => Assert.Equal(("alice", AuditKind.Admin), (r.Entry.Actor, r.Entry.Kind)));
    }

    [Fact]
    public async Task ShowAckResolve_OfAnUnknownId_AreAlertNotFound_NamingIt()
    {
        foreach (var attempt in new Func<Task>[]
        {
            () => _alerts.ShowAsync("al_nothing", Ct),
            () => _alerts.AcknowledgeAsync("al_nothing", null, Ct),
            () => _alerts.ResolveAsync("al_nothing", null, Ct),
        })
        {
            var e = await Assert.ThrowsAsync<VaultException>(attempt);
            Assert.Equal((VaultErrorCode.AlertNotFound, "al_nothing"), (e.Code, e.Value));
            Assert.Equal("no alert with id 'al_nothing'", e.Message);
        }
    }

    [Fact]
    public async Task Acknowledge_OfAnAcknowledgedAlert_IsAlertAlreadyAcknowledged()
    {
        var id = await RaiseAsync();
        await _alerts.AcknowledgeAsync(id, null, Ct);

        var e = await Assert.ThrowsAsync<VaultException>(() => _alerts.AcknowledgeAsync(id, null, Ct));

        Assert.Equal((VaultErrorCode.AlertAlreadyAcknowledged, id), (e.Code, e.Value));
    }

    [Fact]
    public async Task AcknowledgeOrResolve_OfAResolvedAlert_IsAlertAlreadyResolved()
    {
        var id = await RaiseAsync();
        await _alerts.ResolveAsync(id, null, Ct);

        var ack = await Assert.ThrowsAsync<VaultException>(() => _alerts.AcknowledgeAsync(id, null, Ct));
        var resolve = await Assert.ThrowsAsync<VaultException>(() => _alerts.ResolveAsync(id, null, Ct));

        Assert.Equal(VaultErrorCode.AlertAlreadyResolved, ack.Code);
        Assert.Equal(VaultErrorCode.AlertAlreadyResolved, resolve.Code);
    }

    [Fact]
    public async Task ANoteLongerThanTheLimit_IsAlertNoteTooLong_AndChangesNothing()
    {
        var id = await RaiseAsync();

        var e = await Assert.ThrowsAsync<VaultException>(() => _alerts.AcknowledgeAsync(id, new string('x', AlertService.MaxNoteLength + 1), Ct));

        Assert.Equal(VaultErrorCode.AlertNoteTooLong, e.Code);
        Assert.Equal(AlertState.Open, (await _alerts.ShowAsync(id, Ct)).State);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(AlertQuery.MaxLimit + 1)]
    public async Task List_WithALimitOutOfRange_IsAlertLimitInvalid(int limit)
    {
        var e = await Assert.ThrowsAsync<VaultException>(() => _alerts.ListAsync(new AlertQuery { Limit = limit }, Ct));

        Assert.Equal(VaultErrorCode.AlertLimitInvalid, e.Code);
    }

    [Fact]
    public async Task List_ByATokenFilterThatIsNotATokenId_IsNotATokenId()
    {
        var e = await Assert.ThrowsAsync<VaultException>(() => _alerts.ListAsync(new AlertQuery { TokenId = "billing" }, Ct));

        Assert.Equal(VaultErrorCode.NotATokenId, e.Code);
    }

    [Fact]
    public void NewId_IsARecordIdOfItsOwnPrefix()
    {
        Assert.Matches("^al_[0-9a-z]{12}$", AlertService.NewId());
        Assert.NotEqual(AlertService.NewId(), AlertService.NewId());
    }

    private async Task<string> RaiseAsync()
    {
        var raise = new AlertRaise(AlertService.NewId(), "volume", AlertSeverity.Warning, null, null, "203.0.113.9", "volume|203.0.113.9", T0, "412 requests; usually 30", false);
        return (await _temp.Store.RaiseAsync(raise, Ct)).Alert.Id;
    }
}
