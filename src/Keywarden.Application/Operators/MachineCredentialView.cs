// In the Operators folder with the rest of the operator story, but in the namespace of the other application services.
using Keywarden.Core.Operators;

namespace Keywarden.Application;

/// <summary>A machine credential as listed: never the credential.</summary>
/// <param name="Id">Its id (<c>mc_…</c>).</param>
/// <param name="Name">What it is for; audit records name it <c>machine:NAME</c>.</param>
/// <param name="Role">What it may do.</param>
/// <param name="CreatedAt">When it was issued.</param>
/// <param name="ExpiresAt">When it stops working.</param>
/// <param name="RevokedAt">When it was revoked, or null.</param>
public sealed record MachineCredentialView(string Id, string Name, OperatorRole Role, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt);
