using Keywarden.Application;

namespace Keywarden.AdminApi.Auth;

/// <summary>Bearer tokens are operator sessions (<c>kws_</c>) or machine credentials (<c>kwm_</c>), checked by <see cref="OperatorService"/>.</summary>
public sealed class OperatorAuthenticator(OperatorService operators) : IAdminAuthenticator
{
    /// <inheritdoc/>
    public async ValueTask<AdminPrincipal?> AuthenticateAsync(string bearerToken, string? clientAddress, CancellationToken cancellationToken = default)
    {
        try
        {
            var principal = await operators.AuthenticateAsync(bearerToken, cancellationToken);
            return new AdminPrincipal(principal.Name, principal.Role, principal.IsMachine, operators.HasRecentStepUp(principal));
        }
        catch (VaultException e) when (e.Code == VaultErrorCode.SessionInvalid)
        {
            return null;
        }
    }
}
