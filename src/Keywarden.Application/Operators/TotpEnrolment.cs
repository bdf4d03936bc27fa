// In the Operators folder with the rest of the operator story, but in the namespace of the other application services.
namespace Keywarden.Application;

/// <summary>
/// A TOTP enrolment awaiting its first code: the secret to type into an authenticator app, or the <c>otpauth://</c> URI to
/// show as a QR code. Shown once; the store keeps the secret sealed with the master key.
/// </summary>
/// <param name="Secret">The secret in base32.</param>
/// <param name="Uri">The <c>otpauth://totp/Keywarden:NAME?secret=…&amp;issuer=Keywarden</c> URI.</param>
public sealed record TotpEnrolment(string Secret, string Uri)
{
    /// <summary>Never shows the secret.</summary>
    public override string ToString() => "TOTP enrolment (secret not shown)";
}
