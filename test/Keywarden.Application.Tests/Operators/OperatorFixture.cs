using Keywarden.Core.Crypto;
using Keywarden.Core.Operators;
using Keywarden.Storage.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using OtpNet;

namespace Keywarden.Application.Tests.Operators;

/// <summary>
/// An <see cref="OperatorService"/> over a real SQLite store with a fake clock, and the steps every operator test needs:
/// the first admin from the setup code, more operators by invitation, TOTP codes computed as an authenticator app does.
/// Password hashing is cheap here (1 MiB, one pass); the production cost has its own test.
/// </summary>
public abstract class OperatorFixture : IAsyncLifetime
{
    /// <summary>The start of a 30-second TOTP step.</summary>
    protected static readonly DateTimeOffset T0 = new(2026, 5, 4, 9, 30, 0, TimeSpan.Zero);

    protected static readonly OperatorServiceOptions Cheap = new() { PasswordMemoryKib = 1024, PasswordPasses = 1 };

    protected static readonly AdminActor Setup = new("root", null);

    private TempStore _temp = null!;

    protected FakeTimeProvider Clock { get; } = new(T0);

    protected MasterKey Master { get; } = MasterKey.Generate();

    protected OperatorService Operators { get; private set; } = null!;

    protected Storage.IKeywardenStore Store => _temp.Store;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _temp = await TempStore.CreateAsync();
        Operators = new OperatorService(_temp.Store, Master, Clock, Cheap);
    }

    public async ValueTask DisposeAsync()
    {
        await _temp.DisposeAsync();
        Master.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The password every test operator gets (FAKE).</summary>
    protected static string PasswordOf(string name) => $"FAKE-pass-{name}-0123456789";

    protected static AdminActor From(string name, string address = "198.51.100.7") => new(name, address);

    /// <summary>The code an authenticator app shows now.</summary>
    protected string Code(byte[] secret) => new Totp(secret).ComputeTotp(Clock.GetUtcNow().UtcDateTime);

    /// <summary>Moves the clock to the next TOTP step (a login uses up the current one).</summary>
    protected void NextStep() => Clock.Advance(TimeSpan.FromSeconds(30));

    /// <summary>The first admin through the setup code, enrolled: their TOTP secret and recovery codes.</summary>
    protected async Task<Enrolled> AddFirstAdminAsync(string name = "alice")
    {
        var setup = await Operators.CreateSetupCodeAsync(name, Setup, Ct);
        return await JoinAsync(setup.Code, name);
    }

    /// <summary>An operator invited by <paramref name="by"/> and enrolled.</summary>
    protected async Task<Enrolled> AddOperatorAsync(string name, OperatorRole role, string by = "alice")
    {
        var invitation = await Operators.InviteAsync(name, role, From(by), Ct);
        return await JoinAsync(invitation.Code, name);
    }

    protected async Task<IssuedSession> LoginAsync(Enrolled who, string address = "198.51.100.7")
    {
        NextStep();
        return await Operators.LoginAsync(who.Name, PasswordOf(who.Name), Code(who.Secret), From(who.Name, address), Ct);
    }

    private async Task<Enrolled> JoinAsync(string code, string name)
    {
        await Operators.RedeemInvitationAsync(code, PasswordOf(name), From(name), Ct);
        var enrolment = await Operators.BeginEnrolmentAsync(name, PasswordOf(name), From(name), Ct);
        var secret = Base32Encoding.ToBytes(enrolment.Secret);
        var recovery = await Operators.CompleteEnrolmentAsync(name, PasswordOf(name), Code(secret), From(name), Ct);
        return new Enrolled(name, secret, enrolment, recovery);
    }

    /// <summary>An enrolled operator as the tests know them.</summary>
    protected sealed record Enrolled(string Name, byte[] Secret, TotpEnrolment Enrolment, IReadOnlyList<string> RecoveryCodes);
}
