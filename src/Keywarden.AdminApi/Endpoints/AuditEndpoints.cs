using Keywarden.AdminApi.Auth;
using Keywarden.AdminApi.Documents;
using Keywarden.AdminApi.Errors;
using Keywarden.AdminApi.Hosting;
using Keywarden.Application;
using Keywarden.Core.Operators;
using Keywarden.Storage.Audit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keywarden.AdminApi.Endpoints;

/// <summary><c>/v1/audit</c>: tail (optionally of one actor), export as JSON lines, verify the chain (viewer).</summary>
internal static class AuditEndpoints
{
    /// <summary>The most records one tail returns.</summary>
    public const int MaxTail = 10_000;

    public static void Map(IEndpointRouteBuilder api)
    {
        var audit = api.MapGroup("/audit").WithTags("audit");
        audit.MapGet("/tail", async (string? actor, int? limit, AdminApiContext api, HttpContext http, CancellationToken ct) =>
            {
                var count = limit ?? 20;
                if (count is < 0 or > MaxTail)
                {
                    throw new AdminApiException(AdminProblem.BadRequest($"limit must be 0 to {MaxTail}"));
                }

                var records = await AuditTail.ReadAsync(api.Vault.Store, count, actor, ct);
                http.Response.ContentType = "application/json";
                await http.Response.WriteAsync("{\"version\":" + DocumentJson.Version + ",\"records\":[", ct);
                for (var i = 0; i < records.Count; i++)
                {
                    if (i > 0)
                    {
                        await http.Response.WriteAsync(",", ct);
                    }

                    await http.Response.Body.WriteAsync(AuditDocuments.JsonLine(records[i]).WrittenMemory, ct);
                }

                await http.Response.WriteAsync("]}", ct);
            })
            .WithName("TailAudit").Requires(OperatorRole.Viewer);
        audit.MapGet("/export", async (AdminApiContext api, HttpContext http, CancellationToken ct) =>
            {
                http.Response.ContentType = "application/x-ndjson";
                await foreach (var record in api.Vault.Store.ReadAllAsync(ct))
                {
                    await http.Response.Body.WriteAsync(AuditDocuments.JsonLine(record).WrittenMemory, ct);
                    await http.Response.Body.WriteAsync("\n"u8.ToArray(), ct);
                }
            })
            .WithName("ExportAudit").Requires(OperatorRole.Viewer);
        audit.MapGet("/verify", async (AdminApiContext api, CancellationToken ct) =>
                AdminApiContext.Document(AuditDocuments.Verification(await AuditIntegrity.VerifyAsync(api.Vault.Store, [], ct))))
            .WithName("VerifyAudit").Requires(OperatorRole.Viewer);
    }
}
