using Keywarden.AdminApi.Auth;
using Keywarden.AdminApi.Documents;
using Keywarden.AdminApi.Endpoints.Requests;
using Keywarden.AdminApi.Hosting;
using Keywarden.Application;
using Keywarden.Core.Operators;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keywarden.AdminApi.Endpoints;

/// <summary><c>/v1/auth</c>: log in (anyone: password and TOTP code → session token), log out, step up, and who am I.</summary>
internal static class AuthEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("auth");
        auth.MapPost("/login", async (LoginRequest body, HttpContext http, AdminApiContext api, CancellationToken ct) =>
            {
                var actor = new AdminActor(body.Name ?? "", AdminRequest.ClientAddress(http));
                var issued = await api.Operators.LoginAsync(body.Name ?? "", body.Password ?? "", body.Code ?? "", actor, ct);
                return AdminApiContext.Document(OperatorDocuments.LoggedIn(issued), StatusCodes.Status201Created);
            })
            .WithName("Login").Anonymous();
        auth.MapPost("/join", async (JoinRequest body, HttpContext http, AdminApiContext api, CancellationToken ct) =>
            {
                var actor = new AdminActor("invitation", AdminRequest.ClientAddress(http));
                var joined = await api.Operators.RedeemInvitationAsync(body.Code ?? "", body.Password ?? "", actor, ct);
                var enrolment = await api.Operators.BeginEnrolmentAsync(joined.Name, body.Password ?? "", actor with { Name = joined.Name }, ct);
                return AdminApiContext.Document(OperatorDocuments.Joined(joined, enrolment), StatusCodes.Status201Created);
            })
            .WithName("Join").Anonymous();
        auth.MapPost("/join/confirm", async (ConfirmJoinRequest body, HttpContext http, AdminApiContext api, CancellationToken ct) =>
            {
                var actor = new AdminActor(body.Name ?? "", AdminRequest.ClientAddress(http));
                var codes = await api.Operators.CompleteEnrolmentAsync(body.Name ?? "", body.Password ?? "", body.Code ?? "", actor, ct);
                var joined = (await api.Operators.ListAsync(ct)).First(o => string.Equals(o.Name, body.Name, StringComparison.Ordinal));
                return AdminApiContext.Document(OperatorDocuments.Enrolled(joined, codes));
            })
            .WithName("ConfirmJoin").Anonymous();
        auth.MapPost("/logout", async (HttpContext http, AdminApiContext api, CancellationToken ct) =>
            {
                await api.Operators.LogoutAsync(http.BearerToken()!, http.Actor(), ct);
                return AdminApiContext.Document(new { logged_out = true });
            })
            .WithName("Logout").Requires(OperatorRole.Viewer);
        auth.MapPost("/step-up", async (StepUpRequest body, HttpContext http, AdminApiContext api, CancellationToken ct) =>
            {
                var principal = await api.Operators.StepUpAsync(http.BearerToken()!, body.Code ?? "", http.Actor(), ct);
                return AdminApiContext.Document(new { stepped_up_at = principal.SteppedUpAt });
            })
            .WithName("StepUp").Requires(OperatorRole.Viewer);
        auth.MapGet("/session", (HttpContext http) =>
            {
                var principal = http.Principal();
                return AdminApiContext.Document(new
                {
                    name = principal.Name,
                    role = OperatorService.Word(principal.Role),
                    machine = principal.IsMachine,
                    actor = principal.ActorName,
                    step_up_fresh = principal.HasRecentStepUp,
                });
            })
            .WithName("ShowSession").Requires(OperatorRole.Viewer);
    }
}
