// In the Operators folder with the rest of the operator story, but in the namespace of the other application services.
namespace Keywarden.Application;

/// <summary>
/// The costs and limits of <see cref="OperatorService"/>. The defaults are the production values; tests pass cheaper
/// password hashing (<see cref="PasswordMemoryKib"/>, <see cref="PasswordPasses"/>), never weaker limits elsewhere.
/// </summary>
public sealed record OperatorServiceOptions
{
    /// <summary>Argon2id memory per password hash, in KiB: 65 536 (64 MiB) by default.</summary>
    public int PasswordMemoryKib { get; init; } = 65_536;

    /// <summary>Argon2id passes over that memory: 3 by default.</summary>
    public int PasswordPasses { get; init; } = 3;

    /// <summary>A session ends after this long unused: 30 minutes by default.</summary>
    public TimeSpan SessionIdleTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>A session ends this long after login whatever its use: 12 hours by default.</summary>
    public TimeSpan SessionLifetime { get; init; } = TimeSpan.FromHours(12);

    /// <summary>How long a TOTP code presented in a session (step-up) counts as recent: 5 minutes by default.</summary>
    public TimeSpan StepUpValidity { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an invitation or setup code can be redeemed: 24 hours by default.</summary>
    public TimeSpan InvitationLifetime { get; init; } = TimeSpan.FromHours(24);

    /// <summary>At this many consecutive failed logins the account is locked (and again at every multiple): 10 by default.</summary>
    public int LockoutThreshold { get; init; } = 10;

    /// <summary>How long a lockout lasts: 15 minutes by default.</summary>
    public TimeSpan LockoutDuration { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>At most this many failed logins from one client address per <see cref="AddressWindow"/>: 20 by default.</summary>
    public int AddressFailureLimit { get; init; } = 20;

    /// <summary>The window of <see cref="AddressFailureLimit"/>: 15 minutes by default.</summary>
    public TimeSpan AddressWindow { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>The production values.</summary>
    public static OperatorServiceOptions Default { get; } = new();

    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(PasswordMemoryKib, PasswordHash.MinMemoryKib, nameof(PasswordMemoryKib));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(PasswordMemoryKib, PasswordHash.MaxMemoryKib, nameof(PasswordMemoryKib));
        ArgumentOutOfRangeException.ThrowIfLessThan(PasswordPasses, 1, nameof(PasswordPasses));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(PasswordPasses, PasswordHash.MaxPasses, nameof(PasswordPasses));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(SessionIdleTimeout, TimeSpan.Zero, nameof(SessionIdleTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(SessionLifetime, SessionIdleTimeout, nameof(SessionLifetime));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(StepUpValidity, TimeSpan.Zero, nameof(StepUpValidity));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(InvitationLifetime, TimeSpan.Zero, nameof(InvitationLifetime));
        ArgumentOutOfRangeException.ThrowIfLessThan(LockoutThreshold, 3, nameof(LockoutThreshold));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(LockoutDuration, TimeSpan.Zero, nameof(LockoutDuration));
        ArgumentOutOfRangeException.ThrowIfLessThan(AddressFailureLimit, 1, nameof(AddressFailureLimit));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(AddressWindow, TimeSpan.Zero, nameof(AddressWindow));
    }
}
