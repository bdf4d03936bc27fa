namespace Keywarden.AdminApi.Auth;

/// <summary>Knows no one: every request is unauthenticated. The admin API's authenticator until operator accounts exist.</summary>
public sealed class NoOperatorsAuthenticator : IAdminAuthenticator
{
    /// <inheritdoc/>
    public ValueTask<AdminPrincipal?> AuthenticateAsync(string bearerToken, string? clientAddress, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<AdminPrincipal?>(null);
}
