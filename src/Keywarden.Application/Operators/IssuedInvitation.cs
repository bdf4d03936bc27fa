// In the Operators folder with the rest of the operator story, but in the namespace of the other application services.
using Keywarden.Core.Keys;
using Keywarden.Core.Operators;

namespace Keywarden.Application;

/// <summary>A new invitation (or the first admin's setup code): the <c>kwi_</c> code is shown once and stored only hashed.</summary>
/// <param name="Code">The one-time code to hand to the invitee.</param>
/// <param name="Name">The operator's login name to be.</param>
/// <param name="Role">The operator's role to be.</param>
/// <param name="ExpiresAt">When the code stops working if unused.</param>
public sealed record IssuedInvitation(string Code, string Name, OperatorRole Role, DateTimeOffset ExpiresAt)
{
    /// <summary>Never shows the code.</summary>
    public override string ToString() => $"invitation for '{Name}' as {Role} ({KeyDisplay.Redact(Code)}), expires {ExpiresAt:u}";
}
