// In the Operators folder with the rest of the operator story, but in the namespace of the other store interfaces.
using Keywarden.Core.Operators;

namespace Keywarden.Storage;

/// <summary>A credential for CI/CD and other machines: the SHA-256 of its <c>kwm_</c> secret, never the secret.</summary>
/// <param name="Id">Stable id, e.g. <c>mc_…</c>.</param>
/// <param name="Name">What it is for, unique; audit records name it <c>machine:NAME</c>.</param>
/// <param name="Role">What it may do.</param>
/// <param name="Hash">SHA-256 of the credential.</param>
/// <param name="CreatedAt">When it was issued.</param>
/// <param name="ExpiresAt">When it stops working; every machine credential expires.</param>
public sealed record MachineCredentialRecord(string Id, string Name, OperatorRole Role, byte[] Hash, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt)
{
    /// <summary>When it was revoked, or null.</summary>
    public DateTimeOffset? RevokedAt { get; init; }
}
