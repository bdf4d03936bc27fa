using Keywarden.Application;
using Keywarden.Core.Operators;

namespace Keywarden.AdminApi.Auth;

/// <summary>
/// Endpoint metadata: who may call an endpoint. Every endpoint of the admin API carries one; one without is refused to
/// everyone (<c>access_undeclared</c>).
/// </summary>
/// <param name="Role">The lowest role allowed; null for an endpoint anyone may call (login, the OpenAPI document).</param>
/// <param name="StepUp">A TOTP code from the last 5 minutes is needed as well, even inside a session.</param>
public sealed record AdminAccess(OperatorRole? Role, bool StepUp)
{
    /// <summary>The role as the OpenAPI document and the docs name it: viewer, operator, admin, or anonymous.</summary>
    public string RoleWord => Role is { } role ? OperatorService.Word(role) : "anonymous";
}
