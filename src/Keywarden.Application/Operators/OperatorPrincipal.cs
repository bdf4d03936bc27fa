// In the Operators folder with the rest of the operator story, but in the namespace of the other application services.
using Keywarden.Core.Operators;

namespace Keywarden.Application;

/// <summary>
/// Who presented a valid session token or machine credential (<see cref="OperatorService.AuthenticateAsync"/>): the
/// role the admin API checks, and the actor its audit records name.
/// </summary>
/// <param name="Name">The operator's login name, or the machine credential's name.</param>
/// <param name="Role">What they may do.</param>
/// <param name="IsMachine">True for a machine credential, which has no session and cannot step up.</param>
/// <param name="SessionId">The session's id (<c>ses_…</c>), or null for a machine credential.</param>
/// <param name="SteppedUpAt">When a TOTP code was last presented in the session (step-up), or null.</param>
public sealed record OperatorPrincipal(string Name, OperatorRole Role, bool IsMachine, string? SessionId, DateTimeOffset? SteppedUpAt)
{
    /// <summary>The actor as audit records name it: the operator's name, or <c>machine:NAME</c>.</summary>
    public string ActorName => IsMachine ? "machine:" + Name : Name;

    /// <summary>True when the principal's role is <paramref name="required"/> or higher.</summary>
    public bool Has(OperatorRole required) => Role >= required;

    /// <summary>The actor of an action this principal requested from <paramref name="clientAddress"/>.</summary>
    public AdminActor ActorAt(string? clientAddress) => new(ActorName, clientAddress);
}
