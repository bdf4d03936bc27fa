using System.Diagnostics;
using System.Text.RegularExpressions;
using Keywarden.Core.Operators;

namespace Keywarden.Application.Tests.Operators;

/// <summary>What an attacker meets: throttling, lockout, one answer for every failure, replay refused, sessions that end.</summary>
public sealed partial class LoginSecurityTests : OperatorFixture
{
    [Fact]
    public async Task BruteForce_100WrongPasswords_LockTheAccount_AndTheRightPasswordIsRefusedDuringTheLockout()
    {
        var alice = await AddFirstAdminAsync();

        for (var i = 0; i < 100; i++)
        {
            // A botnet: a new address every few tries, so only the account's own limits stand in the way.
            var error = await Assert.ThrowsAsync<VaultException>(
                () => Operators.LoginAsync("alice", $"FAKE-wrong-password-{i:D3}", Code(alice.Secret), From("alice", $"203.0.113.{i / 5}"), Ct));
            Assert.Equal(VaultErrorCode.LoginFailed, error.Code);
        }

        var account = Assert.Single(await Operators.ListAsync(Ct));
        Assert.Equal(T0.AddMinutes(15), account.LockedUntil);
        var failures = (await Store.TailAsync(100, Ct)).Where(r => r.Entry.Method == "operator.login.fail").ToList();
        Assert.Equal(100, failures.Count);
        Assert.Equal(10, failures.Count(r => r.Entry.Detail!.EndsWith("locked until 2026-05-04 09:45:00Z", StringComparison.Ordinal)));
        Assert.Equal("too soon after failed logins; 10 consecutive failures, locked until 2026-05-04 09:45:00Z", failures[9].Entry.Detail);
        Assert.Equal(["wrong password", "wrong password", "wrong password", "too soon after failed logins"], failures.Take(4).Select(r => r.Entry.Detail));
        Assert.Equal("account locked", failures[10].Entry.Detail);
        Clock.Advance(TimeSpan.FromMinutes(14));
        var rightDuringLockout = await Assert.ThrowsAsync<VaultException>(
            () => Operators.LoginAsync("alice", PasswordOf("alice"), Code(alice.Secret), From("alice", "192.0.2.1"), Ct));
        Assert.Equal(VaultErrorCode.LoginFailed, rightDuringLockout.Code);

        Clock.Advance(TimeSpan.FromMinutes(16)); // the failure just above was the 101st: no new lock, and the backoff is capped at the lock's length
        var session = await Operators.LoginAsync("alice", PasswordOf("alice"), Code(alice.Secret), From("alice", "192.0.2.1"), Ct);
        Assert.Equal("alice", (await Operators.AuthenticateAsync(session.Token, Ct)).Name);
        Assert.Equal(0, (await Store.FindOperatorAsync("alice", Ct))!.FailedAttempts);
    }

    [Fact]
    public async Task Backoff_FromTheThirdFailure_RefusesEvenTheRightPassword_Until2PowNMinus3Seconds()
    {
        var alice = await AddFirstAdminAsync();
        NextStep(); // everything below happens within one TOTP step
        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<VaultException>(() => Operators.LoginAsync("alice", "FAKE-wrong-password", "000000", From("alice"), Ct));
        }

        Clock.Advance(TimeSpan.FromMilliseconds(999)); // the 3rd failure asks for 1 s
        var first = await Assert.ThrowsAsync<VaultException>(() => Operators.LoginAsync("alice", PasswordOf("alice"), Code(alice.Secret), From("alice"), Ct));
        Clock.Advance(TimeSpan.FromMilliseconds(1999)); // that was the 4th, which asks for 2 s
        var second = await Assert.ThrowsAsync<VaultException>(() => Operators.LoginAsync("alice", PasswordOf("alice"), Code(alice.Secret), From("alice"), Ct));
        Clock.Advance(TimeSpan.FromSeconds(4)); // the 5th asks for 4 s

        var session = await Operators.LoginAsync("alice", PasswordOf("alice"), Code(alice.Secret), From("alice"), Ct);

        Assert.Equal((VaultErrorCode.LoginFailed, VaultErrorCode.LoginFailed), (first.Code, second.Code));
        Assert.NotNull(session.Token);
    }

    [Fact]
    public async Task PerAddress_20FailuresIn15Minutes_RefuseThatAddress_AndNoOther()
    {
        var alice = await AddFirstAdminAsync();
        for (var i = 0; i < 20; i++)
        {
            // Spread over names (password spraying): no account reaches its own limit.
            await Assert.ThrowsAsync<VaultException>(() => Operators.LoginAsync($"user{i}", "FAKE-wrong-password", "000000", From("x", "203.0.113.9"), Ct));
        }

        NextStep();
        var blocked = await Assert.ThrowsAsync<VaultException>(
            () => Operators.LoginAsync("alice", PasswordOf("alice"), Code(alice.Secret), From("alice", "203.0.113.9"), Ct));
        var elsewhere = await Operators.LoginAsync("alice", PasswordOf("alice"), Code(alice.Secret), From("alice", "198.51.100.1"), Ct);
        Clock.Advance(TimeSpan.FromMinutes(15));
        var later = await Operators.LoginAsync("alice", PasswordOf("alice"), Code(alice.Secret), From("alice", "203.0.113.9"), Ct);

        Assert.Equal(VaultErrorCode.LoginFailed, blocked.Code);
        Assert.NotEqual(elsewhere.Token, later.Token);
    }

    [Fact]
    public async Task EveryFailureReason_GivesTheSameAnswer()
    {
        var alice = await AddFirstAdminAsync();
        await Operators.CreateSetupCodeAsync("x", Setup, Ct).ContinueWith(_ => { }, Ct); // refused: there is an operator
        var invitation = await Operators.InviteAsync("bob", OperatorRole.Viewer, From("alice"), Ct);
        await Operators.RedeemInvitationAsync(invitation.Code, PasswordOf("bob"), From("bob"), Ct); // not enrolled
        NextStep();
        var answers = new List<VaultException>();
        var attempts = new Func<Task>[]
        {
            () => Operators.LoginAsync("mallory", PasswordOf("alice"), Code(alice.Secret), From("a", "192.0.2.10"), Ct),   // unknown name
            () => Operators.LoginAsync("Not A Name!", PasswordOf("alice"), Code(alice.Secret), From("a", "192.0.2.11"), Ct), // not even a name
            () => Operators.LoginAsync("alice", "FAKE-wrong-password", Code(alice.Secret), From("a", "192.0.2.12"), Ct),      // wrong password
            () => Operators.LoginAsync("alice", PasswordOf("alice"), "123456" == Code(alice.Secret) ? "654321" : "123456", From("a", "192.0.2.13"), Ct), // wrong code
            () => Operators.LoginAsync("alice", PasswordOf("alice"), "not-a-code", From("a", "192.0.2.14"), Ct),              // neither code nor recovery code
            () => Operators.LoginAsync("bob", PasswordOf("bob"), "123456", From("a", "192.0.2.15"), Ct),                      // not enrolled
            () => Operators.LoginAsync("alice", new string('x', 5000), Code(alice.Secret), From("a", "192.0.2.16"), Ct),       // absurdly long password
        };
        foreach (var attempt in attempts)
        {
            answers.Add(await Assert.ThrowsAsync<VaultException>(attempt));
        }

        Assert.All(answers, a => Assert.Equal((VaultErrorCode.LoginFailed, (string?)null, (string?)null, "login failed"), (a.Code, a.Value, a.Detail, a.Message)));
    }

    [Fact]
    public async Task UnknownName_CostsTheSamePasswordHashingAsAKnownOne()
    {
        await AddFirstAdminAsync();
        var production = new OperatorService(Store, Master, Clock, new OperatorServiceOptions { PasswordMemoryKib = 16 * 1024, PasswordPasses = 2 });

        // Median of a few tries each, so one slow scheduling does not decide; the unknown name must not be the fast path.
        var known = await MedianAsync(() => production.LoginAsync("alice", "FAKE-wrong-password", "000000", From("a", "192.0.2.20"), Ct));
        var unknown = await MedianAsync(() => production.LoginAsync("nobody", "FAKE-wrong-password", "000000", From("a", "192.0.2.21"), Ct));

        Assert.True(unknown > known * 0.5, $"unknown name took {unknown.TotalMilliseconds} ms, known {known.TotalMilliseconds} ms");
        Assert.True(unknown > TimeSpan.FromMilliseconds(5), $"unknown name took only {unknown.TotalMilliseconds} ms: no hashing was done");
    }

    [Fact]
    public async Task ReplayedTotpCode_IsRefused_EvenInANewLogin()
    {
        var alice = await AddFirstAdminAsync();
        NextStep();
        var code = Code(alice.Secret);

        await Operators.LoginAsync("alice", PasswordOf("alice"), code, From("alice"), Ct);
        var replay = await Assert.ThrowsAsync<VaultException>(() => Operators.LoginAsync("alice", PasswordOf("alice"), code, From("alice"), Ct));
        Clock.Advance(TimeSpan.FromSeconds(10));
        var previousStepCode = await Assert.ThrowsAsync<VaultException>(() => Operators.LoginAsync("alice", PasswordOf("alice"), code, From("alice"), Ct));

        Assert.Equal((VaultErrorCode.LoginFailed, VaultErrorCode.LoginFailed), (replay.Code, previousStepCode.Code));
        Assert.NotNull(await LoginAsync(alice)); // the next step's code works
    }

    [Fact]
    public async Task RecoveryCode_StandsInForTotpOnce()
    {
        var alice = await AddFirstAdminAsync();
        var code = alice.RecoveryCodes[3];

        var session = await Operators.LoginAsync("alice", PasswordOf("alice"), code.ToUpperInvariant().Replace("-", " ", StringComparison.Ordinal), From("alice"), Ct);
        var again = await Assert.ThrowsAsync<VaultException>(() => Operators.LoginAsync("alice", PasswordOf("alice"), code, From("alice"), Ct));

        Assert.NotNull(session.Token);
        Assert.Equal(VaultErrorCode.LoginFailed, again.Code);
        Assert.Equal(9, Assert.Single(await Operators.ListAsync(Ct)).RecoveryCodesLeft);
    }

    [Fact]
    public async Task Session_EndsAfter30MinutesIdle_AndUseSlidesTheWindow()
    {
        var alice = await AddFirstAdminAsync();
        var session = await LoginAsync(alice);

        Clock.Advance(TimeSpan.FromMinutes(29));
        await Operators.AuthenticateAsync(session.Token, Ct);
        Clock.Advance(TimeSpan.FromMinutes(29));
        await Operators.AuthenticateAsync(session.Token, Ct);
        Clock.Advance(TimeSpan.FromMinutes(30));

        Assert.Equal(VaultErrorCode.SessionInvalid, (await Assert.ThrowsAsync<VaultException>(() => Operators.AuthenticateAsync(session.Token, Ct))).Code);
        Assert.False(Assert.Single(await Operators.ListSessionsAsync("alice", Ct)).IsActive);
    }

    [Fact]
    public async Task Session_EndsAfter12HoursWhateverItsUse()
    {
        var alice = await AddFirstAdminAsync();
        var session = await LoginAsync(alice);
        var start = Clock.GetUtcNow();

        while (Clock.GetUtcNow() - start < TimeSpan.FromHours(12) - TimeSpan.FromMinutes(20))
        {
            Clock.Advance(TimeSpan.FromMinutes(20));
            await Operators.AuthenticateAsync(session.Token, Ct);
        }

        Clock.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(start.AddHours(12), session.Session.ExpiresAt > start.AddHours(12) ? session.Session.ExpiresAt : start.AddHours(12));
        Assert.Equal(VaultErrorCode.SessionInvalid, (await Assert.ThrowsAsync<VaultException>(() => Operators.AuthenticateAsync(session.Token, Ct))).Code);
    }

    [Fact]
    public async Task Authenticate_WritesTheLastUseAtMostOnceAMinute()
    {
        var alice = await AddFirstAdminAsync();
        var session = await LoginAsync(alice);
        var login = Clock.GetUtcNow();

        Clock.Advance(TimeSpan.FromSeconds(59));
        await Operators.AuthenticateAsync(session.Token, Ct);
        var notYet = Assert.Single(await Operators.ListSessionsAsync("alice", Ct)).LastUsedAt;
        Clock.Advance(TimeSpan.FromSeconds(1));
        await Operators.AuthenticateAsync(session.Token, Ct);
        var written = Assert.Single(await Operators.ListSessionsAsync("alice", Ct)).LastUsedAt;

        Assert.Equal(login, notYet);
        Assert.Equal(login.AddMinutes(1), written);
    }

    [Fact]
    public async Task StepUp_CountsForFiveMinutes_AndItsCodeCannotBeReplayed()
    {
        var alice = await AddFirstAdminAsync();
        var session = await LoginAsync(alice);
        var before = await Operators.AuthenticateAsync(session.Token, Ct);
        Assert.False(Operators.HasRecentStepUp(before));
        Assert.Equal(VaultErrorCode.StepUpRequired, Assert.Throws<VaultException>(() => Operators.RequireRecentStepUp(before)).Code);

        var sameStep = await Assert.ThrowsAsync<VaultException>(() => Operators.StepUpAsync(session.Token, Code(alice.Secret), From("alice"), Ct));
        NextStep();
        var code = Code(alice.Secret);
        await Operators.StepUpAsync(session.Token, code, From("alice"), Ct);
        var replay = await Assert.ThrowsAsync<VaultException>(() => Operators.StepUpAsync(session.Token, code, From("alice"), Ct));

        Assert.Equal((VaultErrorCode.TotpCodeInvalid, VaultErrorCode.TotpCodeInvalid), (sameStep.Code, replay.Code));
        Clock.Advance(TimeSpan.FromMinutes(5));
        Operators.RequireRecentStepUp(await Operators.AuthenticateAsync(session.Token, Ct));
        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(Operators.HasRecentStepUp(await Operators.AuthenticateAsync(session.Token, Ct)));
    }

    [Fact]
    public async Task PasswordHash_IsArgon2idInTheSelfDescribingForm_AndTheDefaultsAreTheProductionCost()
    {
        await AddFirstAdminAsync();

        var stored = (await Store.FindOperatorAsync("alice", Ct))!.PasswordHash;
        var production = PasswordHash.Hash("FAKE-password-0123", OperatorServiceOptions.Default.PasswordMemoryKib, OperatorServiceOptions.Default.PasswordPasses);

        Assert.Matches(@"^\$argon2id\$v=19\$m=1024,t=1,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$", stored);
        Assert.StartsWith("$argon2id$v=19$m=65536,t=3,p=1$", production, StringComparison.Ordinal);
        Assert.True(PasswordHash.Verify("FAKE-password-0123", production, 8, 1));
        Assert.False(PasswordHash.Verify("FAKE-password-0124", production, 8, 1));
        Assert.NotEqual(production, PasswordHash.Hash("FAKE-password-0123", 65536, 3)); // a new salt each time
    }

    [Theory]
    [InlineData("")]
    [InlineData("$argon2i$v=19$m=1024,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("$argon2id$v=19$m=1024,t=1,p=4$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("$argon2id$v=19$m=99999999,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("$argon2id$v=19$m=1024,t=1,p=1$AAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void PasswordHash_AMalformedOrAbsurdStoredHash_NeverVerifies(string stored) =>
        Assert.False(PasswordHash.Verify("FAKE-password-0123", stored, 8, 1));

    [Fact]
    public async Task Canary_NoPasswordTotpSecretCodeOrTokenReachesTheAuditLog()
    {
        var alice = await AddFirstAdminAsync();
        var invitation = await Operators.InviteAsync("bob", OperatorRole.Operator, From("alice", "203.0.113.50"), Ct);
        await Operators.RedeemInvitationAsync(invitation.Code, PasswordOf("bob"), From("bob"), Ct);
        var bobEnrolment = await Operators.BeginEnrolmentAsync("bob", PasswordOf("bob"), From("bob"), Ct);
        var bobSecret = OtpNet.Base32Encoding.ToBytes(bobEnrolment.Secret);
        var bobRecovery = await Operators.CompleteEnrolmentAsync("bob", PasswordOf("bob"), Code(bobSecret), From("bob"), Ct);
        var session = await LoginAsync(alice);
        NextStep();
        var stepUpCode = Code(alice.Secret);
        await Operators.StepUpAsync(session.Token, stepUpCode, From("alice"), Ct);
        var recoverySession = await Operators.LoginAsync("bob", PasswordOf("bob"), bobRecovery[0], From("bob"), Ct);
        await Assert.ThrowsAsync<VaultException>(() => Operators.LoginAsync("alice", "FAKE-typo-password-0000", "123456", From("alice"), Ct));
        await Assert.ThrowsAsync<VaultException>(() => Operators.LoginAsync("nobody", "FAKE-typo-password-0001", "123456", From("x"), Ct));
        var machine = await Operators.IssueMachineCredentialAsync("ci", OperatorRole.Viewer, T0.AddDays(7), From("alice"), Ct);
        await Operators.AuthenticateAsync(machine.Credential, Ct);
        await Operators.LogoutAsync(session.Token, From("alice"), Ct);
        await Operators.ChangeRoleAsync("bob", OperatorRole.Admin, From("alice"), Ct);

        var secrets = new List<string>
        {
            PasswordOf("alice"), PasswordOf("bob"), "FAKE-typo-password", alice.Enrolment.Secret, bobEnrolment.Secret, Code(alice.Secret), stepUpCode,
            invitation.Code, invitation.Code[4..], session.Token, session.Token[4..], recoverySession.Token[4..], machine.Credential[4..],
        };
        secrets.AddRange(alice.RecoveryCodes);
        secrets.AddRange(bobRecovery);
        secrets.AddRange(bobRecovery.Select(c => c.Replace("-", string.Empty, StringComparison.Ordinal)));
        var records = new List<string>();
        await foreach (var record in Store.ReadAllAsync(Ct))
        {
            records.Add(record.Entry.ToString());
        }

        var log = string.Join('\n', records);
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, log, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("argon2", log, StringComparison.Ordinal);
        // …and the records that are there name who acted, from where.
        Assert.Contains(records, r => r.Contains("operator.invite", StringComparison.Ordinal) && r.Contains("203.0.113.50", StringComparison.Ordinal));
        Assert.Contains(records, r => r.Contains("operator.login.fail", StringComparison.Ordinal) && r.Contains("nobody", StringComparison.Ordinal));
        Assert.True(records.Count(r => ActionPattern().IsMatch(r)) >= 10);
    }

    private static async Task<TimeSpan> MedianAsync(Func<Task> attempt)
    {
        var times = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            var watch = Stopwatch.StartNew();
            await Assert.ThrowsAsync<VaultException>(attempt);
            times.Add(watch.Elapsed);
        }

        return times.Order().ElementAt(2);
    }

    [GeneratedRegex("(operator|machine)\\.")]
    private static partial Regex ActionPattern();
}
