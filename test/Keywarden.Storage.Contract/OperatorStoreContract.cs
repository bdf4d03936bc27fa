using System.Security.Cryptography;
using System.Text;
using Keywarden.Core.Audit;
using Keywarden.Core.Crypto;
using Keywarden.Core.Operators;

namespace Keywarden.Storage.Contract;

/// <summary>
/// <see cref="IOperatorStore"/>: invitations redeemed once, TOTP enrolment and codes never accepted twice, failed logins
/// counted and locked, sessions, the last admin kept, machine credentials; every change with its audit record, and a
/// refusal with none.
/// </summary>
public abstract class OperatorStoreContract : StoreContract
{
    private const string PasswordHash = "$argon2id$v=19$m=65536,t=3,p=1$FAKEsalt$FAKEhash";

    [Fact]
    public async Task Invitation_IsFoundByHash_AndRedeemedOnce_IntoAnOperator_WithItsAuditRecords()
    {
        var invitation = Invitation("inv_1", "alice", OperatorRole.Admin);
        var issued = AuditEntry.ForAdmin(Samples.T0, "setup", "operator.invite", "alice", "as admin");
        var redeemed = AuditEntry.ForAdmin(Samples.T0.AddMinutes(1), "alice", "operator.join", "alice");
        var head = await HeadAsync();

        await Store.AddInvitationAsync(invitation, issued, Ct);
        var found = await Store.FindInvitationByHashAsync(invitation.Hash, Ct);
        var first = await Store.RedeemInvitationAsync("inv_1", Operator("op_alice", "alice", OperatorRole.Admin), Samples.T0.AddMinutes(1), redeemed, Ct);
        var second = await Store.RedeemInvitationAsync("inv_1", Operator("op_alice2", "alice", OperatorRole.Admin), Samples.T0.AddMinutes(2), AuditSamples.Change, Ct);

        Assert.NotNull(found);
        Assert.Equal((invitation.Id, invitation.Name, invitation.Role, invitation.CreatedAt, invitation.ExpiresAt, (DateTimeOffset?)null),
            (found.Id, found.Name, found.Role, found.CreatedAt, found.ExpiresAt, found.UsedAt));
        Assert.Equal(invitation.Hash, found.Hash);
        Assert.True(first);
        Assert.False(second);
        Assert.Equal(Samples.T0.AddMinutes(1), (await Store.FindInvitationByHashAsync(invitation.Hash, Ct))!.UsedAt);
        var alice = await Store.FindOperatorAsync("alice", Ct);
        Assert.NotNull(alice);
        Assert.Equal(("op_alice", "alice", OperatorRole.Admin, PasswordHash, Samples.T0), (alice.Id, alice.Name, alice.Role, alice.PasswordHash, alice.CreatedAt));
        Assert.Null(alice.TotpSecret);
        Assert.Null(alice.TotpConfirmedAt);
        Assert.Equal(0, alice.FailedAttempts);
        Assert.Equal(1, await Store.CountOperatorsAsync(Ct));
        Assert.Equal([issued, redeemed], (await Store.ReadAsync(head, 10, Ct)).Select(r => r.Entry));
        Assert.Null(await Store.FindInvitationByHashAsync(Hash("other"), Ct));
    }

    [Fact]
    public async Task Invitation_Expired_OrForAnotherNameOrRole_IsNotRedeemed_AndAppendsNothing()
    {
        await Store.AddInvitationAsync(Invitation("inv_1", "bob", OperatorRole.Viewer), AuditSamples.Change, Ct);
        var head = await HeadAsync();

        Assert.False(await Store.RedeemInvitationAsync("inv_1", Operator("op_bob", "bob", OperatorRole.Viewer), Samples.T0.AddDays(1), AuditSamples.Change, Ct));
        Assert.False(await Store.RedeemInvitationAsync("inv_1", Operator("op_bob", "bob", OperatorRole.Admin), Samples.T0, AuditSamples.Change, Ct));
        Assert.False(await Store.RedeemInvitationAsync("inv_1", Operator("op_bob", "eve", OperatorRole.Viewer), Samples.T0, AuditSamples.Change, Ct));
        Assert.False(await Store.RedeemInvitationAsync("inv_none", Operator("op_bob", "bob", OperatorRole.Viewer), Samples.T0, AuditSamples.Change, Ct));

        Assert.Empty(await Store.ReadAsync(head, 10, Ct));
        Assert.Equal(0, await Store.CountOperatorsAsync(Ct));
        Assert.Null((await Store.FindInvitationByHashAsync(Hash("inv_1"), Ct))!.UsedAt);
    }

    [Fact]
    public async Task Redeem_ForATakenName_IsAConflict_AndLeavesTheInvitationUnused()
    {
        await AddOperatorAsync("op_alice", "alice", OperatorRole.Admin);
        await Store.AddInvitationAsync(Invitation("inv_2", "alice", OperatorRole.Viewer), AuditSamples.Change, Ct);
        var head = await HeadAsync();

        var error = await Assert.ThrowsAsync<StorageException>(
            () => Store.RedeemInvitationAsync("inv_2", Operator("op_other", "alice", OperatorRole.Viewer), Samples.T0, AuditSamples.Change, Ct));

        Assert.Equal(StorageError.Conflict, error.Error);
        Assert.Empty(await Store.ReadAsync(head, 10, Ct));
        Assert.Null((await Store.FindInvitationByHashAsync(Hash("inv_2"), Ct))!.UsedAt);
    }

    [Fact]
    public async Task Enrolment_StoresTheSealedSecret_ConfirmsWithAFirstStep_AndKeepsTheRecoveryCodes()
    {
        await AddOperatorAsync("op_alice", "alice", OperatorRole.Admin);
        var secret = EnvelopeCipher.Seal(Master, "op_alice", "FAKE-TOTP-SECRET");
        var replaced = EnvelopeCipher.Seal(Master, "op_alice", "FAKE-TOTP-SECRET-2");

        Assert.True(await Store.BeginTotpEnrolmentAsync("op_alice", secret, AuditSamples.Change, Ct));
        Assert.True(await Store.BeginTotpEnrolmentAsync("op_alice", replaced, AuditSamples.Change, Ct));
        Assert.True(await Store.ConfirmTotpEnrolmentAsync("op_alice", 100, RecoveryHashes(), Samples.T0.AddMinutes(3), AuditSamples.Change, Ct));
        Assert.False(await Store.BeginTotpEnrolmentAsync("op_alice", secret, AuditSamples.Change, Ct));
        Assert.False(await Store.ConfirmTotpEnrolmentAsync("op_alice", 101, RecoveryHashes(), Samples.T0, AuditSamples.Change, Ct));
        Assert.False(await Store.BeginTotpEnrolmentAsync("op_none", secret, AuditSamples.Change, Ct));

        var alice = (await Store.GetOperatorAsync("op_alice", Ct))!;
        Assert.Equal("FAKE-TOTP-SECRET-2", EnvelopeCipher.OpenString(Master, "op_alice", alice.TotpSecret!));
        Assert.Equal(Samples.T0.AddMinutes(3), alice.TotpConfirmedAt);
        Assert.Equal(100, alice.LastTotpStep);
        Assert.Equal(10, alice.RecoveryCodesLeft);
    }

    [Fact]
    public async Task Confirm_WithAStepNotAfterTheLastAccepted_IsRefused_AndAppendsNothing()
    {
        await AddEnrolledOperatorAsync("op_alice", "alice", OperatorRole.Admin, step: 100);
        var session = Session("ses_1", "op_alice", Samples.T0);
        await Store.StartSessionAsync(session, SecondFactor.Totp(105), AuditSamples.Change, Ct);
        var head = await HeadAsync();

        // A second session with a code of the same step (a replay) or an earlier one.
        Assert.False(await Store.StartSessionAsync(Session("ses_2", "op_alice", Samples.T0), SecondFactor.Totp(105), AuditSamples.Change, Ct));
        Assert.False(await Store.StartSessionAsync(Session("ses_3", "op_alice", Samples.T0), SecondFactor.Totp(104), AuditSamples.Change, Ct));

        Assert.Empty(await Store.ReadAsync(head, 10, Ct));
        Assert.Equal(["ses_1"], (await Store.ListSessionsAsync("op_alice", Ct)).Select(s => s.Id));
        Assert.Equal(105, (await Store.GetOperatorAsync("op_alice", Ct))!.LastTotpStep);
    }

    [Fact]
    public async Task StartSession_BeforeEnrolmentIsConfirmed_IsRefused()
    {
        await AddOperatorAsync("op_bob", "bob", OperatorRole.Viewer);
        await Store.BeginTotpEnrolmentAsync("op_bob", EnvelopeCipher.Seal(Master, "op_bob", "FAKE"), AuditSamples.Change, Ct);

        Assert.False(await Store.StartSessionAsync(Session("ses_1", "op_bob", Samples.T0), SecondFactor.Totp(1), AuditSamples.Change, Ct));
        Assert.Empty(await Store.ListSessionsAsync("op_bob", Ct));
    }

    [Fact]
    public async Task RecoveryCode_OpensOneSession_ThenIsSpent()
    {
        await AddEnrolledOperatorAsync("op_alice", "alice", OperatorRole.Admin, step: 100);

        Assert.True(await Store.StartSessionAsync(Session("ses_1", "op_alice", Samples.T0), SecondFactor.Recovery(Hash("recovery-3")), AuditSamples.Change, Ct));
        Assert.False(await Store.StartSessionAsync(Session("ses_2", "op_alice", Samples.T0), SecondFactor.Recovery(Hash("recovery-3")), AuditSamples.Change, Ct));
        Assert.False(await Store.StartSessionAsync(Session("ses_3", "op_alice", Samples.T0), SecondFactor.Recovery(Hash("not-a-code")), AuditSamples.Change, Ct));

        Assert.Equal(9, (await Store.GetOperatorAsync("op_alice", Ct))!.RecoveryCodesLeft);
        Assert.Equal(100, (await Store.GetOperatorAsync("op_alice", Ct))!.LastTotpStep);
    }

    [Fact]
    public async Task LoginFailures_AreCounted_AndLock_AndASessionClearsThem()
    {
        await AddEnrolledOperatorAsync("op_alice", "alice", OperatorRole.Admin, step: 100);
        var head = await HeadAsync();
        var lockAt = Samples.T0.AddMinutes(15);

        var first = await Store.RecordLoginFailureAsync("op_alice", Samples.T0, _ => null, _ => AuditSamples.Change, Ct);
        var second = await Store.RecordLoginFailureAsync("op_alice", Samples.T0.AddSeconds(1), n => n >= 2 ? lockAt : null, _ => AuditSamples.Change, Ct);
        var third = await Store.RecordLoginFailureAsync(
            "op_alice", Samples.T0.AddSeconds(2), _ => null, n => AuditEntry.ForAdmin(Samples.T0, "alice", "operator.login.fail", "alice", $"failure {n}"), Ct);
        var locked = (await Store.GetOperatorAsync("op_alice", Ct))!;

        Assert.Equal((1, 2, 3), (first, second, third));
        Assert.Equal((3, Samples.T0.AddSeconds(2), lockAt), (locked.FailedAttempts, locked.LastFailureAt, locked.LockedUntil));
        var records = await Store.ReadAsync(head, 10, Ct);
        Assert.Equal(3, records.Count);
        Assert.Equal("failure 3", records[^1].Entry.Detail);
        Assert.Null(await Store.RecordLoginFailureAsync("op_none", Samples.T0, _ => lockAt, _ => AuditSamples.Change, Ct));
        Assert.Equal(3, (await Store.ReadAsync(head, 10, Ct)).Count);

        Assert.True(await Store.StartSessionAsync(Session("ses_1", "op_alice", Samples.T0.AddMinutes(20)), SecondFactor.Totp(200), AuditSamples.Change, Ct));
        var cleared = (await Store.GetOperatorAsync("op_alice", Ct))!;
        Assert.Equal((0, (DateTimeOffset?)null, (DateTimeOffset?)null, (DateTimeOffset?)Samples.T0.AddMinutes(20)),
            (cleared.FailedAttempts, cleared.LastFailureAt, cleared.LockedUntil, cleared.LastSeenAt));
    }

    [Fact]
    public async Task Session_IsFoundByHash_Touched_SteppedUp_AndRevoked()
    {
        await AddEnrolledOperatorAsync("op_alice", "alice", OperatorRole.Admin, step: 100);
        var session = Session("ses_1", "op_alice", Samples.T0);
        await Store.StartSessionAsync(session, SecondFactor.Totp(101), AuditSamples.Change, Ct);

        await Store.TouchSessionAsync("ses_1", Samples.T0.AddMinutes(5), Ct);
        await Store.TouchSessionAsync("ses_1", Samples.T0.AddMinutes(4), Ct); // late writer: never moves it back
        var steppedUp = await Store.StepUpSessionAsync("ses_1", SecondFactor.Totp(110), Samples.T0.AddMinutes(6), AuditSamples.Change, Ct);
        var replayed = await Store.StepUpSessionAsync("ses_1", SecondFactor.Totp(110), Samples.T0.AddMinutes(7), AuditSamples.Change, Ct);
        var found = (await Store.FindSessionByHashAsync(session.TokenHash, Ct))!;

        Assert.True(steppedUp);
        Assert.False(replayed);
        Assert.Equal(("ses_1", "op_alice", Samples.T0, Samples.T0.AddMinutes(5), Samples.T0.AddHours(12)),
            (found.Id, found.OperatorId, found.CreatedAt, found.LastUsedAt, found.ExpiresAt));
        Assert.Equal(session.TokenHash, found.TokenHash);
        Assert.Equal(Samples.T0.AddMinutes(6), found.SteppedUpAt);
        Assert.Equal(Samples.T0.AddMinutes(5), (await Store.GetOperatorAsync("op_alice", Ct))!.LastSeenAt);

        Assert.True(await Store.RevokeSessionAsync("ses_1", Samples.T0.AddMinutes(8), AuditSamples.Change, Ct));
        Assert.False(await Store.RevokeSessionAsync("ses_1", Samples.T0.AddMinutes(9), AuditSamples.Change, Ct));
        Assert.False(await Store.StepUpSessionAsync("ses_1", SecondFactor.Totp(120), Samples.T0.AddMinutes(10), AuditSamples.Change, Ct));
        Assert.Equal(Samples.T0.AddMinutes(8), (await Store.GetSessionAsync("ses_1", Ct))!.RevokedAt);
        Assert.Null(await Store.FindSessionByHashAsync(Hash("none"), Ct));
    }

    [Fact]
    public async Task ChangeRole_AndRemove_KeepTheLastAdmin()
    {
        await AddOperatorAsync("op_alice", "alice", OperatorRole.Admin);
        await AddOperatorAsync("op_bob", "bob", OperatorRole.Viewer);
        var head = await HeadAsync();

        Assert.Equal(OperatorChange.LastAdmin, await Store.ChangeRoleAsync("op_alice", OperatorRole.Operator, AuditSamples.Change, Ct));
        Assert.Equal(OperatorChange.LastAdmin, await Store.RemoveOperatorAsync("op_alice", AuditSamples.Change, Ct));
        Assert.Equal(OperatorChange.Unchanged, await Store.ChangeRoleAsync("op_bob", OperatorRole.Viewer, AuditSamples.Change, Ct));
        Assert.Equal(OperatorChange.NotFound, await Store.ChangeRoleAsync("op_none", OperatorRole.Admin, AuditSamples.Change, Ct));
        Assert.Equal(OperatorChange.NotFound, await Store.RemoveOperatorAsync("op_none", AuditSamples.Change, Ct));
        Assert.Empty(await Store.ReadAsync(head, 10, Ct));

        Assert.Equal(OperatorChange.Done, await Store.ChangeRoleAsync("op_bob", OperatorRole.Admin, AuditSamples.Change, Ct));
        Assert.Equal(OperatorChange.Done, await Store.ChangeRoleAsync("op_alice", OperatorRole.Viewer, AuditSamples.Change, Ct));
        Assert.Equal(OperatorChange.LastAdmin, await Store.RemoveOperatorAsync("op_bob", AuditSamples.Change, Ct));
        Assert.Equal(OperatorChange.Done, await Store.RemoveOperatorAsync("op_alice", AuditSamples.Change, Ct));

        Assert.Equal(3, (await Store.ReadAsync(head, 10, Ct)).Count);
        Assert.Equal(["bob"], (await Store.ListOperatorsAsync(Ct)).Select(o => o.Name));
        Assert.Equal(OperatorRole.Admin, (await Store.FindOperatorAsync("bob", Ct))!.Role);
    }

    [Fact]
    public async Task Remove_TakesTheOperatorsSessionsAndSecretWithIt()
    {
        await AddEnrolledOperatorAsync("op_alice", "alice", OperatorRole.Admin, step: 1);
        await AddEnrolledOperatorAsync("op_bob", "bob", OperatorRole.Operator, step: 1);
        var session = Session("ses_b", "op_bob", Samples.T0);
        await Store.StartSessionAsync(session, SecondFactor.Totp(2), AuditSamples.Change, Ct);

        Assert.Equal(OperatorChange.Done, await Store.RemoveOperatorAsync("op_bob", AuditSamples.Change, Ct));

        Assert.Null(await Store.FindSessionByHashAsync(session.TokenHash, Ct));
        Assert.Null(await Store.GetOperatorAsync("op_bob", Ct));
        Assert.Empty(await Store.ListSessionsAsync("op_bob", Ct));
    }

    [Fact]
    public async Task MachineCredential_IsStored_Found_Listed_AndRevoked_WithTakenNamesRefused()
    {
        var credential = new MachineCredentialRecord("mc_1", "ci-deploy", OperatorRole.Operator, Hash("mc_1"), Samples.T0, Samples.T0.AddDays(90));
        var head = await HeadAsync();

        await Store.AddMachineCredentialAsync(credential, AuditSamples.Change, Ct);
        var error = await Assert.ThrowsAsync<StorageException>(() => Store.AddMachineCredentialAsync(
            credential with { Id = "mc_2", Hash = Hash("mc_2") }, AuditSamples.Change, Ct));

        Assert.Equal(StorageError.Conflict, error.Error);
        var found = (await Store.FindMachineCredentialByHashAsync(credential.Hash, Ct))!;
        Assert.Equal((credential.Id, credential.Name, credential.Role, credential.CreatedAt, credential.ExpiresAt, (DateTimeOffset?)null),
            (found.Id, found.Name, found.Role, found.CreatedAt, found.ExpiresAt, found.RevokedAt));
        Assert.Equal(credential.Hash, found.Hash);
        Assert.Equal(["mc_1"], (await Store.ListMachineCredentialsAsync(Ct)).Select(c => c.Id));
        Assert.True(await Store.RevokeMachineCredentialAsync("mc_1", Samples.T0.AddDays(1), AuditSamples.Change, Ct));
        Assert.False(await Store.RevokeMachineCredentialAsync("mc_1", Samples.T0.AddDays(2), AuditSamples.Change, Ct));
        Assert.False(await Store.RevokeMachineCredentialAsync("mc_none", Samples.T0.AddDays(2), AuditSamples.Change, Ct));
        Assert.Equal(Samples.T0.AddDays(1), (await Store.FindMachineCredentialByHashAsync(credential.Hash, Ct))!.RevokedAt);
        Assert.Equal(2, (await Store.ReadAsync(head, 10, Ct)).Count);
    }

    [Fact]
    public async Task RewrapAll_MovesTheTotpSecretsToTheNewMasterKey()
    {
        using var newMaster = MasterKey.Generate();
        await Store.SetMasterKeyIdAsync(Master.Id, Ct);
        await AddEnrolledOperatorAsync("op_alice", "alice", OperatorRole.Admin, step: 1);

        var count = await Store.RewrapAllAsync((id, secret) => EnvelopeCipher.Rewrap(Master, newMaster, id, secret), newMaster.Id, _ => AuditSamples.Change, Ct);

        Assert.Equal(1, count);
        var alice = (await Store.GetOperatorAsync("op_alice", Ct))!;
        Assert.Equal("FAKE-TOTP-op_alice", EnvelopeCipher.OpenString(newMaster, "op_alice", alice.TotpSecret!));
    }

    [Fact]
    public async Task AChangeWhoseRecordCannotBeAppended_IsNotMade()
    {
        await AddEnrolledOperatorAsync("op_alice", "alice", OperatorRole.Admin, step: 100);
        await AddOperatorAsync("op_bob", "bob", OperatorRole.Viewer);
        await Store.AddInvitationAsync(Invitation("inv_carol", "carol", OperatorRole.Viewer), AuditSamples.Change, Ct);
        await Database.RefuseAuditAppendsAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => Store.StartSessionAsync(Session("ses_1", "op_alice", Samples.T0), SecondFactor.Totp(101), AuditSamples.Change, Ct));
        await Assert.ThrowsAnyAsync<Exception>(() => Store.ChangeRoleAsync("op_bob", OperatorRole.Admin, AuditSamples.Change, Ct));
        await Assert.ThrowsAnyAsync<Exception>(() => Store.RecordLoginFailureAsync("op_alice", Samples.T0, _ => Samples.T0.AddHours(1), _ => AuditSamples.Change, Ct));
        await Assert.ThrowsAnyAsync<Exception>(
            () => Store.RedeemInvitationAsync("inv_carol", Operator("op_carol", "carol", OperatorRole.Viewer), Samples.T0, AuditSamples.Change, Ct));

        var alice = (await Store.GetOperatorAsync("op_alice", Ct))!;
        Assert.Equal((100L, 0, (DateTimeOffset?)null), (alice.LastTotpStep, alice.FailedAttempts, alice.LockedUntil));
        Assert.Empty(await Store.ListSessionsAsync("op_alice", Ct));
        Assert.Equal(OperatorRole.Viewer, (await Store.FindOperatorAsync("bob", Ct))!.Role);
        Assert.Null(await Store.FindOperatorAsync("carol", Ct));
    }

    private static byte[] Hash(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));

    private static IReadOnlyList<byte[]> RecoveryHashes() => [.. Enumerable.Range(0, 10).Select(i => Hash("recovery-" + i))];

    private static InvitationRecord Invitation(string id, string name, OperatorRole role) =>
        new(id, name, role, Hash(id), Samples.T0.AddMinutes(-1), Samples.T0.AddHours(24).AddMinutes(-1));

    private static OperatorRecord Operator(string id, string name, OperatorRole role) => new(id, name, role, PasswordHash, Samples.T0);

    private static OperatorSessionRecord Session(string id, string operatorId, DateTimeOffset at) =>
        new(id, operatorId, Hash(id), at, at, at.AddHours(12));

    private async Task AddOperatorAsync(string id, string name, OperatorRole role)
    {
        await Store.AddInvitationAsync(Invitation("inv_" + id, name, role), AuditSamples.Change, Ct);
        Assert.True(await Store.RedeemInvitationAsync("inv_" + id, Operator(id, name, role), Samples.T0, AuditSamples.Change, Ct));
    }

    private async Task AddEnrolledOperatorAsync(string id, string name, OperatorRole role, long step)
    {
        await AddOperatorAsync(id, name, role);
        Assert.True(await Store.BeginTotpEnrolmentAsync(id, EnvelopeCipher.Seal(Master, id, "FAKE-TOTP-" + id), AuditSamples.Change, Ct));
        Assert.True(await Store.ConfirmTotpEnrolmentAsync(id, step, RecoveryHashes(), Samples.T0, AuditSamples.Change, Ct));
    }

    private async Task<long> HeadAsync() => (await Store.TailAsync(1, Ct)).SingleOrDefault()?.Sequence ?? 0;
}
