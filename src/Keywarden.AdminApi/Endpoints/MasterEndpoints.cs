using Keywarden.AdminApi.Auth;
using Keywarden.AdminApi.Documents;
using Keywarden.AdminApi.Endpoints.Requests;
using Keywarden.AdminApi.Errors;
using Keywarden.AdminApi.Hosting;
using Keywarden.Application;
using Keywarden.Core.Crypto;
using Keywarden.Core.Operators;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keywarden.AdminApi.Endpoints;

/// <summary>
/// <c>/v1/master/rotate</c> (admin, with step-up): re-wraps every stored secret with a new master key, and the running
/// server (gateway, admin API, notifications) goes on with the new key without a restart.
/// </summary>
internal static class MasterEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var master = api.MapGroup("/master").WithTags("master");
        master.MapPost("/rotate", async (RotateMasterKeyRequest? body, HttpContext http, AdminApiContext api, CancellationToken ct) =>
            {
                var source = api.KeySource ?? throw new AdminApiException(new AdminProblem(
                    StatusCodes.Status409Conflict, "master_rotation_unavailable", "Not available here",
                    "this server was started without its master key's source; rotate on the server with 'keywarden master rotate'"));
                using var newKey = NewKey(source, body?.NewKey);
                await api.MasterRotation.WaitAsync(ct);
                try
                {
                    var previous = api.Vault.MasterKey.Id;
                    var rotated = await MasterKeyRotation.RotateInForceAsync(api.Vault.Store, source, api.Vault.MasterKey, newKey, api.Time, http.Actor(), ct);
                    return AdminApiContext.Document(MasterDocuments.Rotated(newKey.Id, previous, rotated, source));
                }
                finally
                {
                    api.MasterRotation.Release();
                }
            })
            .WithName("RotateMasterKey").Requires(OperatorRole.Admin, stepUp: true);
    }

    /// <summary>The key given (a server on <c>KEYWARDEN_MASTER_KEY</c>) or a generated one (a server with a key file).</summary>
    private static MasterKey NewKey(MasterKeySource source, string? given)
    {
        if (!source.FromEnvironment)
        {
            return given is null
                ? MasterKey.Generate()
                : throw new AdminApiException(AdminProblem.BadRequest("this server keeps its master key in a file and generates the new one: send no new_key"));
        }

        if (given is null)
        {
            throw new AdminApiException(new AdminProblem(
                StatusCodes.Status422UnprocessableEntity, "new_master_key_required", "New master key required",
                $"this server takes its master key from {MasterKeySource.KeyVariable}: send the new one (base64 of 32 random bytes) as new_key"));
        }

        try
        {
            return MasterKey.FromBase64(given);
        }
        catch (KeywardenCryptoException e)
        {
            throw new AdminApiException(AdminProblem.BadRequest("new_key: " + e.Message));
        }
    }
}
