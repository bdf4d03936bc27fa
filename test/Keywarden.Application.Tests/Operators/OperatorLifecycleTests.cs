using Keywarden.Core.Operators;

namespace Keywarden.Application.Tests.Operators;

/// <summary>Setup code, invitation, enrolment, login, sessions, roles and machine credentials, as an admin API would use them.</summary>
public sealed class OperatorLifecycleTests : OperatorFixture
{
    [Fact]
    public async Task FirstAdmin_FromTheSetupCode_EnrolsLogsIn_AndIsAuthenticatedAsAdmin()
    {
        var alice = await AddFirstAdminAsync();

        var session = await LoginAsync(alice);
        var principal = await Operators.AuthenticateAsync(session.Token, Ct);

        Assert.Matches("^kws_[0-9A-Za-z]{36}$", session.Token);
        Assert.Equal(("alice", OperatorRole.Admin, false, session.Session.Id), (principal.Name, principal.Role, principal.IsMachine, principal.SessionId));
        Assert.Equal($"otpauth://totp/Keywarden:alice?secret={alice.Enrolment.Secret}&issuer=Keywarden", alice.Enrolment.Uri);
        Assert.Matches("^[A-Z2-7]{32}$", alice.Enrolment.Secret);
        Assert.Equal(10, alice.RecoveryCodes.Distinct().Count());
        Assert.All(alice.RecoveryCodes, c => Assert.Matches("^[a-z2-9]{5}(-[a-z2-9]{5}){3}$", c));
        var listed = Assert.Single(await Operators.ListAsync(Ct));
        Assert.Equal(("alice", OperatorRole.Admin, true, 10), (listed.Name, listed.Role, listed.Enrolled, listed.RecoveryCodesLeft));
        Assert.DoesNotContain(session.Token[4..], session.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(alice.Enrolment.Secret, alice.Enrolment.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetupCode_OnceThereIsAnOperator_IsRefused()
    {
        await Operators.CreateSetupCodeAsync("alice", Setup, Ct);
        await AddFirstAdminAsync("bob");

        var error = await Assert.ThrowsAsync<VaultException>(() => Operators.CreateSetupCodeAsync("carol", Setup, Ct));

        Assert.Equal(VaultErrorCode.SetupAlreadyDone, error.Code);
    }

    [Fact]
    public async Task Invitation_IsUsableOnce_AndExpiresAfter24Hours()
    {
        await AddFirstAdminAsync();
        var once = await Operators.InviteAsync("bob", OperatorRole.Viewer, From("alice"), Ct);
        var late = await Operators.InviteAsync("carol", OperatorRole.Viewer, From("alice"), Ct);

        await Operators.RedeemInvitationAsync(once.Code, PasswordOf("bob"), From("bob"), Ct);
        var again = await Assert.ThrowsAsync<VaultException>(() => Operators.RedeemInvitationAsync(once.Code, PasswordOf("bob"), From("bob"), Ct));
        Clock.Advance(TimeSpan.FromHours(24));
        var expired = await Assert.ThrowsAsync<VaultException>(() => Operators.RedeemInvitationAsync(late.Code, PasswordOf("carol"), From("carol"), Ct));
        var forged = await Assert.ThrowsAsync<VaultException>(() => Operators.RedeemInvitationAsync("kwi_" + late.Code[4..^1] + "x", PasswordOf("carol"), From("carol"), Ct));

        Assert.Equal([VaultErrorCode.InvitationInvalid, VaultErrorCode.InvitationInvalid, VaultErrorCode.InvitationInvalid], [again.Code, expired.Code, forged.Code]);
        Assert.Equal(T0.AddHours(24), late.ExpiresAt);
        Assert.Equal(["alice", "bob"], (await Operators.ListAsync(Ct)).Select(o => o.Name));
    }

    [Fact]
    public async Task Invite_RefusesABadNameAnExistingOperator_AndRedeem_AShortPassword()
    {
        await AddFirstAdminAsync();
        var invitation = await Operators.InviteAsync("bob", OperatorRole.Operator, From("alice"), Ct);

        var badName = await Assert.ThrowsAsync<VaultException>(() => Operators.InviteAsync("Bob Smith", OperatorRole.Viewer, From("alice"), Ct));
        var exists = await Assert.ThrowsAsync<VaultException>(() => Operators.InviteAsync("alice", OperatorRole.Viewer, From("alice"), Ct));
        var shortPassword = await Assert.ThrowsAsync<VaultException>(() => Operators.RedeemInvitationAsync(invitation.Code, "FAKE-short", From("bob"), Ct));

        Assert.Equal((VaultErrorCode.OperatorNameInvalid, "Bob Smith"), (badName.Code, badName.Value));
        Assert.Equal(VaultErrorCode.OperatorExists, exists.Code);
        Assert.Equal(VaultErrorCode.PasswordTooShort, shortPassword.Code);
        Assert.DoesNotContain("FAKE-short", shortPassword.Message, StringComparison.Ordinal);
        var bob = await Operators.RedeemInvitationAsync(invitation.Code, PasswordOf("bob"), From("bob"), Ct); // still unused
        Assert.Equal((OperatorRole.Operator, false), (bob.Role, bob.Enrolled));
    }

    [Fact]
    public async Task BeforeEnrolment_TheOperatorCannotLogIn_AndAWrongFirstCodeDoesNotEnrol()
    {
        await AddFirstAdminAsync();
        var invitation = await Operators.InviteAsync("bob", OperatorRole.Viewer, From("alice"), Ct);
        await Operators.RedeemInvitationAsync(invitation.Code, PasswordOf("bob"), From("bob"), Ct);
        var enrolment = await Operators.BeginEnrolmentAsync("bob", PasswordOf("bob"), From("bob"), Ct);
        var secret = OtpNet.Base32Encoding.ToBytes(enrolment.Secret);

        var login = await Assert.ThrowsAsync<VaultException>(() => Operators.LoginAsync("bob", PasswordOf("bob"), Code(secret), From("bob"), Ct));
        var wrongCode = await Assert.ThrowsAsync<VaultException>(
            () => Operators.CompleteEnrolmentAsync("bob", PasswordOf("bob"), Code(secret) == "000000" ? "111111" : "000000", From("bob"), Ct));
        NextStep();
        var codes = await Operators.CompleteEnrolmentAsync("bob", PasswordOf("bob"), Code(secret), From("bob"), Ct);
        var again = await Assert.ThrowsAsync<VaultException>(() => Operators.BeginEnrolmentAsync("bob", PasswordOf("bob"), From("bob"), Ct));

        Assert.Equal(VaultErrorCode.LoginFailed, login.Code);
        Assert.Equal(VaultErrorCode.TotpCodeInvalid, wrongCode.Code);
        Assert.Equal(10, codes.Count);
        Assert.Equal(VaultErrorCode.TotpAlreadyEnrolled, again.Code);
    }

    [Fact]
    public async Task Logout_EndsTheSession_AndSessionsAreListedAndRevocable()
    {
        var alice = await AddFirstAdminAsync();
        var first = await LoginAsync(alice);
        var second = await LoginAsync(alice);

        await Operators.LogoutAsync(first.Token, From("alice"), Ct);
        var afterLogout = await Assert.ThrowsAsync<VaultException>(() => Operators.AuthenticateAsync(first.Token, Ct));
        var sessions = await Operators.ListSessionsAsync("alice", Ct);
        await Operators.RevokeSessionAsync(second.Session.Id, From("alice"), Ct);
        var afterRevoke = await Assert.ThrowsAsync<VaultException>(() => Operators.AuthenticateAsync(second.Token, Ct));

        Assert.Equal((VaultErrorCode.SessionInvalid, VaultErrorCode.SessionInvalid), (afterLogout.Code, afterRevoke.Code));
        Assert.Equal([(second.Session.Id, true), (first.Session.Id, false)], sessions.Select(s => (s.Id, s.IsActive)));
        Assert.False(Assert.Single(await Operators.ListSessionsAsync("alice", Ct), s => s.Id == second.Session.Id).IsActive);
        Assert.Equal(VaultErrorCode.SessionInvalid, (await Assert.ThrowsAsync<VaultException>(() => Operators.RevokeSessionAsync("ses_none", From("alice"), Ct))).Code);
    }

    [Fact]
    public async Task LastAdmin_CanBeNeitherRemovedNorDemoted_UntilAnotherAdminExists()
    {
        await AddFirstAdminAsync();
        await AddOperatorAsync("bob", OperatorRole.Viewer);

        var remove = await Assert.ThrowsAsync<VaultException>(() => Operators.RemoveAsync("alice", From("alice"), Ct));
        var demote = await Assert.ThrowsAsync<VaultException>(() => Operators.ChangeRoleAsync("alice", OperatorRole.Operator, From("alice"), Ct));
        Assert.Equal((VaultErrorCode.LastAdmin, "alice"), (remove.Code, remove.Value));
        Assert.Equal(VaultErrorCode.LastAdmin, demote.Code);

        Assert.True(await Operators.ChangeRoleAsync("bob", OperatorRole.Admin, From("alice"), Ct));
        Assert.False(await Operators.ChangeRoleAsync("bob", OperatorRole.Admin, From("alice"), Ct));
        Assert.True(await Operators.ChangeRoleAsync("alice", OperatorRole.Viewer, From("bob"), Ct));
        await Operators.RemoveAsync("alice", From("bob"), Ct);

        Assert.Equal([("bob", OperatorRole.Admin)], (await Operators.ListAsync(Ct)).Select(o => (o.Name, o.Role)));
        Assert.Equal(VaultErrorCode.OperatorNotFound, (await Assert.ThrowsAsync<VaultException>(() => Operators.RemoveAsync("alice", From("bob"), Ct))).Code);
    }

    [Fact]
    public async Task RemovedOperator_SessionStopsWorking()
    {
        await AddFirstAdminAsync();
        var bob = await AddOperatorAsync("bob", OperatorRole.Operator);
        var session = await LoginAsync(bob);

        await Operators.RemoveAsync("bob", From("alice"), Ct);

        Assert.Equal(VaultErrorCode.SessionInvalid, (await Assert.ThrowsAsync<VaultException>(() => Operators.AuthenticateAsync(session.Token, Ct))).Code);
    }

    [Fact]
    public async Task MachineCredential_AuthenticatesWithItsRole_UntilRevokedOrExpired()
    {
        await AddFirstAdminAsync();
        var ci = await Operators.IssueMachineCredentialAsync("ci-deploy", OperatorRole.Operator, T0.AddDays(30), From("alice"), Ct);
        var shortLived = await Operators.IssueMachineCredentialAsync("nightly", OperatorRole.Viewer, T0.AddDays(1), From("alice"), Ct);

        var principal = await Operators.AuthenticateAsync(ci.Credential, Ct);
        Assert.Matches("^kwm_[0-9A-Za-z]{36}$", ci.Credential);
        Assert.Equal(("ci-deploy", OperatorRole.Operator, true, "machine:ci-deploy"), (principal.Name, principal.Role, principal.IsMachine, principal.ActorName));
        Assert.False(Operators.HasRecentStepUp(principal));

        Assert.True(await Operators.RevokeMachineCredentialAsync("ci-deploy", From("alice"), Ct));
        Assert.False(await Operators.RevokeMachineCredentialAsync("ci-deploy", From("alice"), Ct));
        Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(VaultErrorCode.SessionInvalid, (await Assert.ThrowsAsync<VaultException>(() => Operators.AuthenticateAsync(ci.Credential, Ct))).Code);
        Assert.Equal(VaultErrorCode.SessionInvalid, (await Assert.ThrowsAsync<VaultException>(() => Operators.AuthenticateAsync(shortLived.Credential, Ct))).Code);
        Assert.Equal(["ci-deploy", "nightly"], (await Operators.ListMachineCredentialsAsync(Ct)).Select(c => c.Name));
    }

    [Fact]
    public async Task MachineCredential_NeedsAnExpiryWithinAYear_AndAFreeName()
    {
        await Operators.IssueMachineCredentialAsync("ci", OperatorRole.Viewer, T0.AddDays(365), From("alice"), Ct);

        var tooLong = await Assert.ThrowsAsync<VaultException>(() => Operators.IssueMachineCredentialAsync("a", OperatorRole.Viewer, T0.AddDays(366), From("alice"), Ct));
        var past = await Assert.ThrowsAsync<VaultException>(() => Operators.IssueMachineCredentialAsync("b", OperatorRole.Viewer, T0, From("alice"), Ct));
        var taken = await Assert.ThrowsAsync<VaultException>(() => Operators.IssueMachineCredentialAsync("ci", OperatorRole.Viewer, T0.AddDays(1), From("alice"), Ct));
        var unknown = await Assert.ThrowsAsync<VaultException>(() => Operators.RevokeMachineCredentialAsync("nope", From("alice"), Ct));

        Assert.Equal((VaultErrorCode.MachineCredentialExpiryInvalid, "365"), (tooLong.Code, tooLong.Value));
        Assert.Equal(VaultErrorCode.MachineCredentialExpiryInvalid, past.Code);
        Assert.Equal(VaultErrorCode.MachineCredentialExists, taken.Code);
        Assert.Equal(VaultErrorCode.MachineCredentialNotFound, unknown.Code);
    }

    [Fact]
    public async Task AuthenticateAsync_NoiseAndOtherSecretKinds_AreSessionInvalid()
    {
        var alice = await AddFirstAdminAsync();
        var invitation = await Operators.InviteAsync("bob", OperatorRole.Viewer, From("alice"), Ct);

        foreach (var token in new[] { "", "kws_nope", invitation.Code, Core.Tokens.GatewayToken.Generate().Value, OperatorSecret.Generate(OperatorSecretKind.Session).Value })
        {
            Assert.Equal(VaultErrorCode.SessionInvalid, (await Assert.ThrowsAsync<VaultException>(() => Operators.AuthenticateAsync(token, Ct))).Code);
        }

        Assert.NotNull(alice);
    }
}
