using Keywarden.Core.Keys;
using Keywarden.Core.Providers;
using Keywarden.Core.Rotation;
using Keywarden.Rotation.Tests.Support;
using Keywarden.Storage;
using Keywarden.Testing;

namespace Keywarden.Rotation.Tests;

public sealed class RotationServiceTests
{
    private static readonly TimeSpan NoWait = TimeSpan.Zero;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WholeRotation_Marketing_PromotesDeliversChecksRevocationAndDeletesTheOldKey()
    {
        await using var h = await RotationHarness.StartAsync();
        var sinkFile = Path.Combine(h.Directory, "app.key");
        var upstream = await h.UpstreamAsync();
        await h.Vault.Store.AddSinkAsync(new SinkRecord("sink_1", upstream.Id, "file:" + sinkFile, DateTimeOffset.UnixEpoch), AuditEntryFor("sink"), Ct);
        var service = h.Service();

        var started = await service.StartAsync("news", RotationReason.Leak, "found in app.js:3", Ct);
        Assert.Equal(new Uri("https://us21.admin.mailchimp.com/account/api/"), started.KeysPage);
        Assert.Matches(@"^keywarden-news-\d{4}-\d\d-\d\d$", started.SuggestedKeyName);
        Assert.Contains(started.Steps, s => s.Contains(started.SuggestedKeyName, StringComparison.Ordinal));

        var newKey = h.NewKey();
        var submitted = await service.SubmitAsync("news", newKey.Key, Ct);
        Assert.Equal(RotationState.AwaitingRevocation, submitted.State);
        Assert.Equal(newKey.Key, await h.CurrentKeyValueAsync());
        Assert.Equal(newKey.Key, await File.ReadAllTextAsync(sinkFile, Ct));

        var early = await service.ConfirmAsync("news", NoWait, Poll, Ct);
        Assert.Equal(KeyVerificationStatus.Valid, early.OldKey);
        Assert.Equal(RotationState.AwaitingRevocation, early.Rotation.State);
        Assert.Contains("still works", Assert.Single(await service.StatusAsync("news", Ct)).NextStep, StringComparison.Ordinal);
        Assert.Contains((await h.KeysAsync()), k => k.Slot == KeySlot.Previous);

        h.Sandbox.State.RevokeKey(h.OldKey.KeyId);
        var confirmed = await service.ConfirmAsync("news", NoWait, Poll, Ct);

        Assert.Equal(RotationState.Revoked, confirmed.Rotation.State);
        Assert.Equal(newKey.Key[..4], Assert.Single(await h.KeysAsync()).Prefix);
        var status = Assert.Single(await service.StatusAsync("news", Ct));
        Assert.Equal(
            [RotationState.Requested, RotationState.AwaitingNewKey, RotationState.Verifying, RotationState.Staged, RotationState.Promoted, RotationState.AwaitingRevocation, RotationState.Revoked],
            status.History.Select(t => t.To));
        Assert.All(status.History, t => Assert.Equal("tester", t.Actor));
        Assert.Equal(status.History.Select(t => t.To), h.Steps);
        Assert.Equal(RotationReason.Leak, status.Rotation!.Reason);
        Assert.Equal("found in app.js:3", status.Rotation.Note);
        await AssertNoKeyInAuditAsync(h, h.OldKey.Key, newKey.Key);
    }

    [Fact]
    public async Task WholeRotation_Transactional_PointsToMandrillAndChecksTheUsername()
    {
        await using var h = await RotationHarness.StartAsync(UpstreamKind.Transactional);
        var service = h.Service();

        var started = await service.StartAsync("news", RotationReason.Scheduled, null, Ct);
        await service.SubmitAsync("news", h.NewKey().Key, Ct);
        h.Sandbox.State.RevokeKey(h.OldKey.KeyId);
        var confirmed = await service.ConfirmAsync("news", NoWait, Poll, Ct);

        Assert.Equal(new Uri("https://mandrillapp.com/settings"), started.KeysPage);
        Assert.Equal(RotationState.Revoked, confirmed.Rotation.State);
        Assert.Equal("Invalid_Key", confirmed.Detail);
    }

    [Fact]
    public async Task Submit_KeyOfAnotherAccount_IsRefused_PendingDeleted_CurrentKept_AndANewSubmitWorks()
    {
        await using var h = await RotationHarness.StartAsync();
        var service = h.Service();
        await service.StartAsync("news", RotationReason.Manual, null, Ct);
        var other = h.Sandbox.State.CreateAccount("Someone else", "us21");

        var error = await Assert.ThrowsAsync<RotationException>(() => service.SubmitAsync("news", h.NewKey(other.AccountId).Key, Ct));

        Assert.Equal(RotationErrorCode.NewKeyWrongAccount, error.Code);
        Assert.Contains($"belongs to account {other.AccountId}, not {h.Account.AccountId}", error.Message, StringComparison.Ordinal);
        Assert.Equal(h.OldKey.Key, await h.CurrentKeyValueAsync());
        Assert.Single(await h.KeysAsync());
        Assert.Equal(RotationState.AwaitingNewKey, Assert.Single(await service.StatusAsync("news", Ct)).Rotation!.State);
        Assert.Equal(RotationState.AwaitingRevocation, (await service.SubmitAsync("news", h.NewKey().Key, Ct)).State);
    }

    [Fact]
    public async Task Submit_TheOldKeyOrARevokedKeyOrGarbage_IsRefusedWithoutPromoting()
    {
        await using var h = await RotationHarness.StartAsync();
        var service = h.Service();
        await service.StartAsync("news", RotationReason.Manual, null, Ct);
        var revoked = h.NewKey();
        h.Sandbox.State.RevokeKey(revoked.KeyId);

        var same = await Assert.ThrowsAsync<RotationException>(() => service.SubmitAsync("news", h.OldKey.Key, Ct));
        var refused = await Assert.ThrowsAsync<RotationException>(() => service.SubmitAsync("news", revoked.Key, Ct));
        var garbage = await Assert.ThrowsAsync<RotationException>(() => service.SubmitAsync("news", "not a key", Ct));

        Assert.Equal(
            [RotationErrorCode.KeyBeingReplaced, RotationErrorCode.NewKeyRefused, RotationErrorCode.KeyMalformed],
            new[] { same.Code, refused.Code, garbage.Code });
        Assert.Contains("key being replaced", same.Message, StringComparison.Ordinal);
        Assert.Contains("refused the new key", refused.Message, StringComparison.Ordinal);
        Assert.Contains("not a Marketing key", garbage.Message, StringComparison.Ordinal);
        Assert.Equal(h.OldKey.Key, await h.CurrentKeyValueAsync());
        Assert.DoesNotContain(h.OldKey.Key, same.Message + refused.Message + garbage.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(revoked.Key, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_UpstreamTooSlow_StaysVerifyingWithTheKeyStaged_ThenResumeFinishes()
    {
        await using var h = await RotationHarness.StartAsync(verifyTimeout: TimeSpan.FromSeconds(2));
        var service = h.Service();
        await service.StartAsync("news", RotationReason.Manual, null, Ct);
        var newKey = h.NewKey();
        h.Sandbox.State.ResponseDelay = TimeSpan.FromSeconds(5);

        var error = await Assert.ThrowsAsync<RotationException>(() => service.SubmitAsync("news", newKey.Key, Ct));

        Assert.Equal(RotationErrorCode.NewKeyNotVerified, error.Code);
        Assert.Equal("news", error.Value);
        Assert.Contains("could not verify", error.Message, StringComparison.Ordinal);
        Assert.Contains("resuming the rotation", error.Message, StringComparison.Ordinal);
        Assert.Equal(RotationState.Verifying, Assert.Single(await service.StatusAsync("news", Ct)).Rotation!.State);
        Assert.Contains(await h.KeysAsync(), k => k.Slot == KeySlot.Pending);
        Assert.Equal(h.OldKey.Key, await h.CurrentKeyValueAsync());

        h.Sandbox.State.ResponseDelay = TimeSpan.Zero;
        Assert.Equal(RotationState.AwaitingRevocation, (await service.ResumeAsync("news", Ct)).State);
        Assert.Equal(newKey.Key, await h.CurrentKeyValueAsync());
    }

    [Fact]
    public async Task FailingSink_StopsBeforeRevocationWithAClearMessage_AndResumeDeliversOnceFixed()
    {
        await using var h = await RotationHarness.StartAsync();
        var upstream = await h.UpstreamAsync();
        await h.Vault.Store.AddSinkAsync(new SinkRecord("sink_bad", upstream.Id, "fail:disk full", DateTimeOffset.UnixEpoch), AuditEntryFor("sink"), Ct);
        var service = h.Service();
        await service.StartAsync("news", RotationReason.Manual, null, Ct);
        var newKey = h.NewKey();

        var error = await Assert.ThrowsAsync<RotationException>(() => service.SubmitAsync("news", newKey.Key, Ct));

        Assert.Equal(RotationErrorCode.SinkFailed, error.Code);
        Assert.Contains("sink sink_bad", error.Message, StringComparison.Ordinal);
        Assert.Contains("disk full", error.Message, StringComparison.Ordinal);
        Assert.Contains("do not revoke", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(newKey.Key, error.Message, StringComparison.Ordinal);
        Assert.Equal(RotationState.Promoted, Assert.Single(await service.StatusAsync("news", Ct)).Rotation!.State);
        await Assert.ThrowsAsync<RotationException>(() => service.ConfirmAsync("news", NoWait, Poll, Ct));

        var sinkFile = Path.Combine(h.Directory, "fixed.key");
        await h.Vault.Store.RemoveSinkAsync("sink_bad", AuditEntryFor("sink"), Ct);
        await h.Vault.Store.AddSinkAsync(new SinkRecord("sink_ok", upstream.Id, "file:" + sinkFile, DateTimeOffset.UnixEpoch), AuditEntryFor("sink"), Ct);
        Assert.Equal(RotationState.AwaitingRevocation, (await service.ResumeAsync("news", Ct)).State);
        Assert.Equal(newKey.Key, await File.ReadAllTextAsync(sinkFile, Ct));
    }

    [Fact]
    public async Task Abort_BeforePromotion_DeletesPending_AfterPromotion_ExplainsWhyNot()
    {
        await using var h = await RotationHarness.StartAsync();
        var service = h.Service();
        await service.StartAsync("news", RotationReason.Manual, null, Ct);
        Assert.Equal(RotationState.Aborted, (await service.AbortAsync("news", Ct)).State);

        await service.StartAsync("news", RotationReason.Manual, null, Ct);
        await service.SubmitAsync("news", h.NewKey().Key, Ct);
        var error = await Assert.ThrowsAsync<RotationException>(() => service.AbortAsync("news", Ct));

        Assert.Equal(RotationErrorCode.AbortAwaitingRevocation, error.Code);
        Assert.Contains("already live", error.Message, StringComparison.Ordinal);
        Assert.Contains("confirm its revocation", error.Message, StringComparison.Ordinal);
        Assert.Equal(RotationState.AwaitingRevocation, Assert.Single(await service.StatusAsync("news", Ct)).Rotation!.State);
    }

    [Fact]
    public async Task Start_WhileOpen_ShowsTheStepsAgain_AndConfirmWaitPollsUntilRevoked()
    {
        await using var h = await RotationHarness.StartAsync();
        var time = new TimerCountingTime(TimeProvider.System.GetUtcNow());
        var service = h.Service(time: time);
        var first = await service.StartAsync("news", RotationReason.Manual, null, Ct);
        var again = await service.StartAsync("news", RotationReason.Manual, null, Ct);
        Assert.True(again.AlreadyOpen);
        Assert.Equal(first.Rotation.Id, again.Rotation.Id);

        await service.SubmitAsync("news", h.NewKey().Key, Ct);
        var timers = time.Timers;
        var confirm = service.ConfirmAsync("news", TimeSpan.FromSeconds(20), Poll, Ct);
        await time.TimersCreated(timers + 1).WaitAsync(Patience, Ct); // the old key still works: it waits for the next poll
        Assert.False(confirm.IsCompleted);
        h.Sandbox.State.RevokeKey(h.OldKey.KeyId);
        time.Advance(Poll);

        Assert.Equal(RotationState.Revoked, (await confirm.WaitAsync(Patience, Ct)).Rotation.State);
        Assert.Equal(RotationState.Revoked, (await service.ConfirmAsync("news", NoWait, Poll, Ct)).Rotation.State);
    }

    [Fact]
    public async Task Confirm_UpstreamUnreachable_IsUnknown_AndTheRotationStaysAwaitingRevocationWithTheOldKeyKept()
    {
        await using var h = await RotationHarness.StartAsync();
        var service = h.Service();
        await service.StartAsync("news", RotationReason.Manual, null, Ct);
        await service.SubmitAsync("news", h.NewKey().Key, Ct);
        h.Sandbox.State.RevokeKey(h.OldKey.KeyId);
        // Every connection fails, as when the upstream is down: the real verifier over a network that refuses.
        using var down = new HttpClient(new SocketsHttpHandler { ConnectCallback = (_, _) => throw new HttpRequestException("connection refused") });
        var cut = new RotationService(h.Vault, new Mailchimp.MailchimpKeyVerifier(down), h.Sinks, TimeProvider.System, "tester");

        var check = await cut.ConfirmAsync("news", NoWait, Poll, Ct);

        Assert.Equal(KeyVerificationStatus.Unreachable, check.OldKey);
        Assert.Equal(RotationState.AwaitingRevocation, check.Rotation.State);
        Assert.Contains(await h.KeysAsync(), k => k.Slot == KeySlot.Previous);
        Assert.Equal(RotationState.Revoked, (await service.ConfirmAsync("news", NoWait, Poll, Ct)).Rotation.State);
    }

    [Theory]
    [InlineData(10, 90, KeyAgeStatus.Ok)]
    [InlineData(76, 90, KeyAgeStatus.DueSoon)]
    [InlineData(90, 90, KeyAgeStatus.Overdue)]
    [InlineData(120, 90, KeyAgeStatus.Overdue)]
    public void KeyAge_AgainstMaxAge(int ageDays, int maxDays, KeyAgeStatus expected) =>
        Assert.Equal(expected, new KeyAge(TimeSpan.FromDays(ageDays), TimeSpan.FromDays(maxDays)).Status);

    private static Core.Audit.AuditEntry AuditEntryFor(string action) =>
        Core.Audit.AuditEntry.ForAdmin(DateTimeOffset.UnixEpoch, "tester", action, "news");

    private static async Task AssertNoKeyInAuditAsync(RotationHarness h, params string[] keys)
    {
        var text = string.Join('\n', (await h.Vault.Store.TailAsync(100, Ct)).Select(r => r.Entry.ToString()));
        Assert.Contains("rotation.", text, StringComparison.Ordinal);
        foreach (var key in keys)
        {
            Assert.DoesNotContain(key[4..], text, StringComparison.Ordinal);
        }
    }
}
