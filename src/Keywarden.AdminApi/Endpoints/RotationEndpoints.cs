using Keywarden.AdminApi.Auth;
using Keywarden.AdminApi.Documents;
using Keywarden.AdminApi.Endpoints.Requests;
using Keywarden.AdminApi.Errors;
using Keywarden.AdminApi.Hosting;
using Keywarden.Core.Operators;
using Keywarden.Core.Providers;
using Keywarden.Core.Rotation;
using Keywarden.Rotation;
using Keywarden.Rotation.Sinks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keywarden.AdminApi.Endpoints;

/// <summary>
/// <c>/v1/rotations</c>: key ages and rotations (viewer); start, abort and resume a rotation (operator); submit the new key
/// and confirm the old one's revocation (operator, with step-up: they change which key is live and delete one).
/// </summary>
internal static class RotationEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var rotations = api.MapGroup("/rotations").WithTags("rotations");
        rotations.MapGet("/", async (string? upstream, HttpContext http, AdminApiContext api, IKeySinkFactory sinks, CancellationToken ct) =>
            {
                var statuses = await ServiceFor(http, api, sinks).StatusAsync(upstream, ct);
                return AdminApiContext.Document(new { upstreams = statuses.Select(s => RotationDocuments.Status(s, api.Apis)) });
            })
            .WithName("ListRotations").Requires(OperatorRole.Viewer);
        rotations.MapGet("/{upstream}", async (string upstream, HttpContext http, AdminApiContext api, IKeySinkFactory sinks, CancellationToken ct) =>
                AdminApiContext.Document(RotationDocuments.Status((await ServiceFor(http, api, sinks).StatusAsync(upstream, ct))[0], api.Apis)))
            .WithName("ShowRotation").Requires(OperatorRole.Viewer);
        rotations.MapPost("/{upstream}/start", StartAsync).WithName("StartRotation").Requires(OperatorRole.Operator);
        rotations.MapPost("/{upstream}/submit", SubmitAsync).WithName("SubmitRotationKey").Requires(OperatorRole.Operator, stepUp: true);
        rotations.MapPost("/{upstream}/confirm", async (string upstream, HttpContext http, AdminApiContext api, IKeySinkFactory sinks, CancellationToken ct) =>
            {
                // One check per request: a client that waits for the revocation asks again (the CLI's --wait does).
                var service = ServiceFor(http, api, sinks);
                var check = await service.ConfirmAsync(upstream, TimeSpan.Zero, TimeSpan.FromSeconds(1), ct);
                var next = check.OldKey == KeyVerificationStatus.Valid ? (await service.StatusAsync(upstream, ct))[0].NextStep : null;
                return AdminApiContext.Document(RotationDocuments.Confirmed(upstream, check, next));
            })
            .WithName("ConfirmRotation").Requires(OperatorRole.Operator, stepUp: true);
        rotations.MapPost("/{upstream}/abort", async (string upstream, HttpContext http, AdminApiContext api, IKeySinkFactory sinks, CancellationToken ct) =>
                AdminApiContext.Document(RotationDocuments.Aborted(upstream, await ServiceFor(http, api, sinks).AbortAsync(upstream, ct))))
            .WithName("AbortRotation").Requires(OperatorRole.Operator);
        rotations.MapPost("/{upstream}/resume", async (string upstream, HttpContext http, AdminApiContext api, IKeySinkFactory sinks, CancellationToken ct) =>
            {
                var service = ServiceFor(http, api, sinks);
                await service.ResumeAsync(upstream, ct);
                return AdminApiContext.Document(RotationDocuments.Status((await service.StatusAsync(upstream, ct))[0], api.Apis));
            })
            .WithName("ResumeRotation").Requires(OperatorRole.Operator);
    }

    /// <summary>The rotation service acting for the caller: their name and address in every history step and audit record.</summary>
    public static RotationService ServiceFor(HttpContext http, AdminApiContext api, IKeySinkFactory sinks) =>
        new(api.Vault, api.Vault.Verifier, sinks, api.Time, http.Actor());

    private static async Task<IResult> StartAsync(
        string upstream, StartRotationRequest? body, HttpContext http, AdminApiContext api, IKeySinkFactory sinks, CancellationToken ct)
    {
        var reason = RotationMachine.ParseReason(body?.Reason ?? "manual")
            ?? throw new AdminApiException(AdminProblem.BadRequest("reason is scheduled, leak or manual"));
        var started = await ServiceFor(http, api, sinks).StartAsync(upstream, reason, body?.Note, ct);
        return AdminApiContext.Document(RotationDocuments.Started(started));
    }

    private static async Task<IResult> SubmitAsync(
        string upstream, SubmitRotationKeyRequest body, HttpContext http, AdminApiContext api, IKeySinkFactory sinks, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body.Key))
        {
            throw new AdminApiException(AdminProblem.BadRequest("key is required: the new key, in the body"));
        }

        var service = ServiceFor(http, api, sinks);
        await service.SubmitAsync(upstream, body.Key.Trim(), ct);
        return AdminApiContext.Document(RotationDocuments.Status((await service.StatusAsync(upstream, ct))[0], api.Apis));
    }
}
