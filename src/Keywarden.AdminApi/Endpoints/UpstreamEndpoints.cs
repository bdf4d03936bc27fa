using Keywarden.AdminApi.Auth;
using Keywarden.AdminApi.Documents;
using Keywarden.AdminApi.Endpoints.Requests;
using Keywarden.AdminApi.Errors;
using Keywarden.AdminApi.Hosting;
using Keywarden.Application;
using Keywarden.Core.Operators;
using Keywarden.Rotation.Sinks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keywarden.AdminApi.Endpoints;

/// <summary><c>/v1/upstreams</c>: list and show (viewer); add and remove (admin, with step-up).</summary>
internal static class UpstreamEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var upstreams = api.MapGroup("/upstreams").WithTags("upstreams");
        upstreams.MapGet("/", async (HttpContext http, AdminApiContext api, CancellationToken ct) =>
            {
                var all = await api.Vault.UpstreamsFor(http.Actor()).ListAsync(ct);
                return AdminApiContext.Document(new { upstreams = all.Select(u => UpstreamDocuments.Upstream(u, api.Apis)) });
            })
            .WithName("ListUpstreams").Requires(OperatorRole.Viewer);
        upstreams.MapGet("/{name}", async (string name, HttpContext http, AdminApiContext api, CancellationToken ct) =>
            {
                var all = await api.Vault.UpstreamsFor(http.Actor()).ListAsync(ct);
                var view = all.FirstOrDefault(u => string.Equals(u.Upstream.Name, name, StringComparison.Ordinal))
                    ?? throw new VaultException(VaultErrorCode.UpstreamNotFound, name);
                return AdminApiContext.Document(UpstreamDocuments.Upstream(view, api.Apis));
            })
            .WithName("ShowUpstream").Requires(OperatorRole.Viewer);
        upstreams.MapPost("/", async (AddUpstreamBody body, HttpContext http, AdminApiContext api, CancellationToken ct) =>
            {
                if (!api.Apis.TryGet(body.Kind ?? "", out var kind))
                {
                    throw new AdminApiException(AdminProblem.BadRequest($"kind is one of {string.Join(", ", api.Apis.Names)}"));
                }

                var request = new AddUpstreamRequest(
                    body.Name, kind.Kind, body.Key, body.KeyName, body.BaseUrl, !body.NoVerify,
                    body.MaxKeyAgeDays is { } days ? TimeSpan.FromDays(days) : AddUpstreamRequest.DefaultMaxKeyAge);
                var (view, _) = await api.Vault.UpstreamsFor(http.Actor()).AddAsync(request, ct);
                return AdminApiContext.Document(UpstreamDocuments.Upstream(view, api.Apis), StatusCodes.Status201Created);
            })
            .WithName("AddUpstream").Requires(OperatorRole.Admin, stepUp: true);
        upstreams.MapPost("/{name}/verify", async (string name, HttpContext http, AdminApiContext api, CancellationToken ct) =>
            {
                var (view, verification) = await api.Vault.UpstreamsFor(http.Actor()).VerifyAsync(name, ct);
                return AdminApiContext.Document(UpstreamDocuments.Verified(view, verification));
            })
            .WithName("VerifyUpstream").Requires(OperatorRole.Operator);
        upstreams.MapPost("/{name}/max-age", async (string name, MaxKeyAgeRequest body, HttpContext http, AdminApiContext api, IKeySinkFactory sinks, CancellationToken ct) =>
            {
                if (body.Days is < 1 or > 3650)
                {
                    throw new AdminApiException(AdminProblem.BadRequest("days is a whole number of days from 1 to 3650"));
                }

                var age = TimeSpan.FromDays(body.Days);
                await RotationEndpoints.ServiceFor(http, api, sinks).SetMaxKeyAgeAsync(name, age, ct);
                return AdminApiContext.Document(UpstreamDocuments.MaxAge(name, age));
            })
            .WithName("SetUpstreamMaxKeyAge").Requires(OperatorRole.Admin);
        upstreams.MapDelete("/{name}", async (string name, HttpContext http, AdminApiContext api, CancellationToken ct) =>
                AdminApiContext.Document(UpstreamDocuments.Removed(name, await api.Vault.UpstreamsFor(http.Actor()).RemoveAsync(name, ct))))
            .WithName("RemoveUpstream").Requires(OperatorRole.Admin, stepUp: true);
    }
}
