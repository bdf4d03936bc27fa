// In the Operators folder with the rest of the operator story, but in the namespace of the other application services.
using Keywarden.Core.Keys;

namespace Keywarden.Application;

/// <summary>A new machine credential: the <c>kwm_</c> secret, shown once and stored only hashed.</summary>
/// <param name="Credential">The bearer credential for the admin API.</param>
/// <param name="View">The credential as listed.</param>
public sealed record IssuedMachineCredential(string Credential, MachineCredentialView View)
{
    /// <summary>Never shows the credential.</summary>
    public override string ToString() => $"machine credential '{View.Name}' ({KeyDisplay.Redact(Credential)})";
}
