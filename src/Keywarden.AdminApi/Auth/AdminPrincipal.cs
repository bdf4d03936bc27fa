using Keywarden.Core.Operators;

namespace Keywarden.AdminApi.Auth;

/// <summary>Who a bearer token on the admin API stands for.</summary>
/// <param name="Name">The operator's name, or the machine credential's.</param>
/// <param name="Role">What they may do.</param>
/// <param name="IsMachine">A machine credential (CI/CD), not a person's session.</param>
/// <param name="HasRecentStepUp">A TOTP code was given within the step-up window (5 minutes): the sensitive endpoints are open.</param>
public sealed record AdminPrincipal(string Name, OperatorRole Role, bool IsMachine, bool HasRecentStepUp)
{
    /// <summary>The actor as audit records name it: the operator's name, or <c>machine:NAME</c>.</summary>
    public string ActorName => IsMachine ? $"machine:{Name}" : Name;
}
