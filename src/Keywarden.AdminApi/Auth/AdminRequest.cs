using Keywarden.Application;
using Microsoft.AspNetCore.Http;

namespace Keywarden.AdminApi.Auth;

/// <summary>The signed-in principal of an admin API request, as the authorization middleware left it.</summary>
internal static class AdminRequest
{
    private const string PrincipalKey = "keywarden.admin.principal";

    public static void SetPrincipal(HttpContext context, AdminPrincipal principal) => context.Items[PrincipalKey] = principal;

    /// <summary>The principal; every endpoint that declares a role has one.</summary>
    public static AdminPrincipal Principal(this HttpContext context) =>
        context.Items[PrincipalKey] as AdminPrincipal ?? throw new InvalidOperationException("no principal: the endpoint declares no role");

    /// <summary>Who acts, as the audit records name them: the principal and the client's address.</summary>
    public static AdminActor Actor(this HttpContext context) => new(context.Principal().ActorName, ClientAddress(context));

    public static string? ClientAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString();

    /// <summary>The token after <c>Bearer </c>, or null; a secret: never logged.</summary>
    public static string? BearerToken(this HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        return header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) && header.Length > Scheme.Length ? header[Scheme.Length..].Trim() : null;
    }
}
