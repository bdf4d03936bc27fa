using Keywarden.AdminApi.Auth;
using Keywarden.AdminApi.Documents;
using Keywarden.AdminApi.Endpoints.Requests;
using Keywarden.AdminApi.Errors;
using Keywarden.AdminApi.Hosting;
using Keywarden.Application;
using Keywarden.Core.Monitoring;
using Keywarden.Core.Operators;
using Keywarden.Notifications;
using Keywarden.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keywarden.AdminApi.Endpoints;

/// <summary><c>/v1/notify</c>: where alerts are sent (admin): list, add a webhook, remove.</summary>
internal static class NotifyEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var notify = api.MapGroup("/notify").WithTags("notify");
        notify.MapGet("/", async (HttpContext http, AdminApiContext api, CancellationToken ct) =>
                AdminApiContext.Document(new { targets = (await api.Vault.NotificationsFor(http.Actor()).ListAsync(ct)).Select(NotifyDocuments.Target) }))
            .WithName("ListNotifyTargets").Requires(OperatorRole.Admin);
        notify.MapPost("/webhooks", async (AddWebhookRequest body, HttpContext http, AdminApiContext api, CancellationToken ct) =>
            {
                var format = body.Format switch
                {
                    null or "generic" => NotificationFormat.Generic,
                    "slack" => NotificationFormat.Slack,
                    _ => throw new AdminApiException(AdminProblem.BadRequest("format is generic or slack")),
                };
                var severity = AlertAudit.ParseSeverity(body.MinSeverity ?? "warning")
                    ?? throw new AdminApiException(AdminProblem.BadRequest("min_severity is info, warning or critical"));
                var added = await api.Vault.NotificationsFor(http.Actor()).AddWebhookAsync(body.Url ?? "", format, severity, ct);
                return AdminApiContext.Document(NotifyDocuments.Added(added), StatusCodes.Status201Created);
            })
            .WithName("AddNotifyWebhook").Requires(OperatorRole.Admin);
        notify.MapPost("/{id}/test", async (string id, HttpContext http, AdminApiContext api, CancellationToken ct) =>
            {
                var endpoint = await api.Vault.NotificationsFor(http.Actor()).OpenAsync(id, ct)
                    ?? throw new VaultException(VaultErrorCode.NotificationTargetNotFound, id);
                var now = api.Time.GetUtcNow();
                var notice = new AlertNotice(
                    "al_test", "test", AlertSeverity.Info, null, null, now, now, 1, "a test alert sent by 'keywarden notify test': nothing is wrong");
                using var sender = new WebhookSender(new NotificationOptions(), api.Time);
                var outcome = await sender.SendAsync(endpoint, notice, 0, ct);
                return AdminApiContext.Document(
                    NotifyTestDocuments.Tested(endpoint.TargetId, NotificationService.Display(endpoint.Url), outcome.Delivered, outcome.Failure));
            })
            .WithName("TestNotifyTarget").Requires(OperatorRole.Admin);
        notify.MapDelete("/{id}", async (string id, HttpContext http, AdminApiContext api, CancellationToken ct) =>
            {
                await api.Vault.NotificationsFor(http.Actor()).RemoveAsync(id, ct);
                return AdminApiContext.Document(new { id, removed = true });
            })
            .WithName("RemoveNotifyTarget").Requires(OperatorRole.Admin);
    }
}
