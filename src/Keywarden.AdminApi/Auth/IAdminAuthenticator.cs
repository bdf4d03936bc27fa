namespace Keywarden.AdminApi.Auth;

/// <summary>Turns the bearer token of an admin API request into the principal it stands for.</summary>
public interface IAdminAuthenticator
{
    /// <summary>The principal of <paramref name="bearerToken"/>, or null when it is unknown, expired or revoked.</summary>
    /// <param name="bearerToken">The token after <c>Bearer </c>; a secret: never logged.</param>
    /// <param name="clientAddress">Where the request came from, for rate limits and session records.</param>
    /// <param name="cancellationToken">Stops the lookup.</param>
    ValueTask<AdminPrincipal?> AuthenticateAsync(string bearerToken, string? clientAddress, CancellationToken cancellationToken = default);
}
