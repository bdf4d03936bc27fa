// In the Operators folder with the rest of the operator story, but in the namespace of the other store interfaces.
using Keywarden.Core.Operators;

namespace Keywarden.Storage;

/// <summary>
/// A one-time invitation (or the first admin's setup code): the SHA-256 of its <c>kwi_</c> code, the name and role the
/// operator will have, and whether it was used.
/// </summary>
/// <param name="Id">Stable id, e.g. <c>inv_…</c>.</param>
/// <param name="Name">The operator's login name to be.</param>
/// <param name="Role">The operator's role to be.</param>
/// <param name="Hash">SHA-256 of the code.</param>
/// <param name="CreatedAt">When it was issued.</param>
/// <param name="ExpiresAt">When it stops working if unused.</param>
public sealed record InvitationRecord(string Id, string Name, OperatorRole Role, byte[] Hash, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt)
{
    /// <summary>When it was redeemed, or null.</summary>
    public DateTimeOffset? UsedAt { get; init; }
}
