using Keywarden.AdminApi.Auth;
using Keywarden.AdminApi.Documents;
using Keywarden.AdminApi.Endpoints.Requests;
using Keywarden.AdminApi.Errors;
using Keywarden.AdminApi.Hosting;
using Keywarden.Core.Operators;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keywarden.AdminApi.Endpoints;

/// <summary>
/// <c>/v1/operators</c> and <c>/v1/machine-credentials</c> (admin): list, and with step-up invite, remove, change roles,
/// end sessions, issue and revoke machine credentials.
/// </summary>
internal static class OperatorEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var operators = api.MapGroup("/operators").WithTags("operators");
        operators.MapGet("/", async (AdminApiContext api, CancellationToken ct) =>
                AdminApiContext.Document(new { operators = (await api.Operators.ListAsync(ct)).Select(OperatorDocuments.Operator) }))
            .WithName("ListOperators").Requires(OperatorRole.Admin);
        operators.MapPost("/", async (InviteOperatorRequest body, HttpContext http, AdminApiContext api, CancellationToken ct) =>
                AdminApiContext.Document(
                    OperatorDocuments.Invitation(await api.Operators.InviteAsync(body.Name ?? "", ParseRole(body.Role), http.Actor(), ct)),
                    StatusCodes.Status201Created))
            .WithName("InviteOperator").Requires(OperatorRole.Admin, stepUp: true);
        operators.MapDelete("/{name}", async (string name, HttpContext http, AdminApiContext api, CancellationToken ct) =>
            {
                await api.Operators.RemoveAsync(name, http.Actor(), ct);
                return AdminApiContext.Document(new { name, removed = true });
            })
            .WithName("RemoveOperator").Requires(OperatorRole.Admin, stepUp: true);
        operators.MapPost("/{name}/role", async (string name, ChangeRoleRequest body, HttpContext http, AdminApiContext api, CancellationToken ct) =>
            {
                var role = ParseRole(body.Role);
                var changed = await api.Operators.ChangeRoleAsync(name, role, http.Actor(), ct);
                return AdminApiContext.Document(new { name, role = body.Role, changed });
            })
            .WithName("ChangeOperatorRole").Requires(OperatorRole.Admin, stepUp: true);
        operators.MapGet("/{name}/sessions", async (string name, AdminApiContext api, CancellationToken ct) =>
                AdminApiContext.Document(new { sessions = (await api.Operators.ListSessionsAsync(name, ct)).Select(OperatorDocuments.Session) }))
            .WithName("ListOperatorSessions").Requires(OperatorRole.Admin);
        operators.MapPost("/{name}/sessions/{id}/revoke", async (string name, string id, HttpContext http, AdminApiContext api, CancellationToken ct) =>
            {
                await api.Operators.RevokeSessionAsync(id, http.Actor(), ct);
                return AdminApiContext.Document(new { id, revoked = true });
            })
            .WithName("RevokeOperatorSession").Requires(OperatorRole.Admin, stepUp: true);

        var machines = api.MapGroup("/machine-credentials").WithTags("operators");
        machines.MapGet("/", async (AdminApiContext api, CancellationToken ct) =>
                AdminApiContext.Document(new { machine_credentials = (await api.Operators.ListMachineCredentialsAsync(ct)).Select(OperatorDocuments.MachineCredential) }))
            .WithName("ListMachineCredentials").Requires(OperatorRole.Admin);
        machines.MapPost("/", async (IssueMachineCredentialRequest body, HttpContext http, AdminApiContext api, CancellationToken ct) =>
                AdminApiContext.Document(
                    OperatorDocuments.IssuedMachineCredential(
                        await api.Operators.IssueMachineCredentialAsync(body.Name ?? "", ParseRole(body.Role), body.ExpiresAt, http.Actor(), ct)),
                    StatusCodes.Status201Created))
            .WithName("IssueMachineCredential").Requires(OperatorRole.Admin, stepUp: true);
        machines.MapDelete("/{name}", async (string name, HttpContext http, AdminApiContext api, CancellationToken ct) =>
                AdminApiContext.Document(new { name, revoked = await api.Operators.RevokeMachineCredentialAsync(name, http.Actor(), ct) }))
            .WithName("RevokeMachineCredential").Requires(OperatorRole.Admin, stepUp: true);
    }

    private static OperatorRole ParseRole(string? word) => word switch
    {
        "viewer" => OperatorRole.Viewer,
        "operator" => OperatorRole.Operator,
        "admin" => OperatorRole.Admin,
        _ => throw new AdminApiException(AdminProblem.BadRequest("role is viewer, operator or admin")),
    };
}
