// In the Operators folder with the rest of the operator story, but in the namespace of the other store interfaces.
namespace Keywarden.Storage;

/// <summary>
/// The second factor of a login or step-up, as the store consumes it inside the transaction of its change: a TOTP code's
/// time step (which must be later than the last accepted one) or the SHA-256 of an unused recovery code.
/// </summary>
/// <param name="TotpStep">The accepted TOTP code's time step, or null.</param>
/// <param name="RecoveryCodeHash">The SHA-256 of a recovery code, or null.</param>
public sealed record SecondFactor(long? TotpStep, byte[]? RecoveryCodeHash)
{
    /// <summary>A TOTP code of time step <paramref name="step"/>.</summary>
    public static SecondFactor Totp(long step) => new(step, null);

    /// <summary>A recovery code whose SHA-256 is <paramref name="hash"/>.</summary>
    public static SecondFactor Recovery(byte[] hash) => new(null, hash);
}
