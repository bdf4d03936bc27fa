using Keywarden.AdminApi.Auth;
using Keywarden.AdminApi.Documents;
using Keywarden.AdminApi.Endpoints.Requests;
using Keywarden.AdminApi.Errors;
using Keywarden.AdminApi.Hosting;
using Keywarden.Core.Operators;
using Keywarden.Core.Monitoring;
using Keywarden.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keywarden.AdminApi.Endpoints;

/// <summary><c>/v1/alerts</c>: list and show (viewer); acknowledge and resolve (operator).</summary>
internal static class AlertEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var alerts = api.MapGroup("/alerts").WithTags("alerts");
        alerts.MapGet("/", async (string? state, string? token, int? limit, HttpContext http, AdminApiContext api, CancellationToken ct) =>
            {
                var query = new AlertQuery
                {
                    States = state switch
                    {
                        null => [AlertState.Open, AlertState.Acknowledged],
                        "all" => [],
                        "open" => [AlertState.Open],
                        "acknowledged" => [AlertState.Acknowledged],
                        "resolved" => [AlertState.Resolved],
                        _ => throw new AdminApiException(AdminProblem.BadRequest("state is open, acknowledged, resolved or all")),
                    },
                    TokenId = token,
                    Limit = limit ?? 100,
                };
                var found = await api.Vault.AlertsFor(http.Actor()).ListAsync(query, ct);
                return AdminApiContext.Document(new { alerts = found.Select(AlertDocuments.Alert) });
            })
            .WithName("ListAlerts").Requires(OperatorRole.Viewer);
        alerts.MapGet("/{id}", async (string id, HttpContext http, AdminApiContext api, CancellationToken ct) =>
                AdminApiContext.Document(AlertDocuments.Alert(await api.Vault.AlertsFor(http.Actor()).ShowAsync(id, ct))))
            .WithName("ShowAlert").Requires(OperatorRole.Viewer);
        alerts.MapPost("/{id}/ack", async (string id, AlertNoteRequest? body, HttpContext http, AdminApiContext api, CancellationToken ct) =>
                AdminApiContext.Document(AlertDocuments.Alert(await api.Vault.AlertsFor(http.Actor()).AcknowledgeAsync(id, body?.Note, ct))))
            .WithName("AcknowledgeAlert").Requires(OperatorRole.Operator);
        alerts.MapPost("/{id}/resolve", async (string id, AlertNoteRequest? body, HttpContext http, AdminApiContext api, CancellationToken ct) =>
                AdminApiContext.Document(AlertDocuments.Alert(await api.Vault.AlertsFor(http.Actor()).ResolveAsync(id, body?.Note, ct))))
            .WithName("ResolveAlert").Requires(OperatorRole.Operator);
    }
}
