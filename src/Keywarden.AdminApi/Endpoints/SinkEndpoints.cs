using Keywarden.AdminApi.Auth;
using Keywarden.AdminApi.Documents;
using Keywarden.AdminApi.Endpoints.Requests;
using Keywarden.AdminApi.Errors;
using Keywarden.AdminApi.Hosting;
using Keywarden.Core.Operators;
using Keywarden.Rotation.Sinks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keywarden.AdminApi.Endpoints;

/// <summary>
/// <c>/v1/sinks</c>: where rotated keys are delivered. List (viewer); add and remove (admin, with step-up: they change
/// where keys are written). Only file sinks are added here: an <c>exec:</c> sink runs a command on the server, which
/// the API does not let a bearer token set up.
/// </summary>
internal static class SinkEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var sinks = api.MapGroup("/sinks").WithTags("sinks");
        sinks.MapGet("/", async (string? upstream, HttpContext http, AdminApiContext api, IKeySinkFactory factory, CancellationToken ct) =>
                AdminApiContext.Document(SinkDocuments.List(await RotationEndpoints.ServiceFor(http, api, factory).ListSinksAsync(upstream, ct))))
            .WithName("ListSinks").Requires(OperatorRole.Viewer);
        sinks.MapPost("/", async (AddSinkRequest body, HttpContext http, AdminApiContext api, IKeySinkFactory factory, CancellationToken ct) =>
            {
                if (string.IsNullOrWhiteSpace(body.Upstream) || string.IsNullOrWhiteSpace(body.Spec))
                {
                    throw new AdminApiException(AdminProblem.BadRequest("upstream and spec are required"));
                }

                if (KeySinkSpec.Parse(body.Spec).Kind == KeySinkKind.Command)
                {
                    throw new AdminApiException(AdminProblem.SinkNotRemote());
                }

                var sink = await RotationEndpoints.ServiceFor(http, api, factory).AddSinkAsync(body.Upstream, body.Spec, ct);
                return AdminApiContext.Document(SinkDocuments.Sink(sink, body.Upstream), StatusCodes.Status201Created);
            })
            .WithName("AddSink").Requires(OperatorRole.Admin, stepUp: true);
        sinks.MapDelete("/{id}", async (string id, HttpContext http, AdminApiContext api, IKeySinkFactory factory, CancellationToken ct) =>
                await RotationEndpoints.ServiceFor(http, api, factory).RemoveSinkAsync(id, ct)
                    ? AdminApiContext.Document(SinkDocuments.Removed(id))
                    : throw new AdminApiException(AdminProblem.SinkNotFound(id)))
            .WithName("RemoveSink").Requires(OperatorRole.Admin, stepUp: true);
    }
}
