using Keywarden.AdminApi.Errors;
using Keywarden.Application;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Keywarden.AdminApi.Auth;

/// <summary>
/// Default deny, in one place: every request to an endpoint is authenticated (401 <c>unauthenticated</c>) unless the
/// endpoint is declared anonymous, then judged against the endpoint's <see cref="AdminAccess"/>: none declared → 403
/// <c>access_undeclared</c>, role too low → 403 <c>role_too_low</c>, step-up needed and not fresh → 403 <c>step_up_required</c>.
/// </summary>
internal sealed class AdminAuthorizationMiddleware(RequestDelegate next, IAdminAuthenticator authenticator, ILogger<AdminAuthorizationMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null)
        {
            await next(context); // no such route: 404
            return;
        }

        var access = endpoint.Metadata.GetMetadata<AdminAccess>();
        if (access is { Role: null })
        {
            await next(context);
            return;
        }

        var principal = context.BearerToken() is { } token
            ? await authenticator.AuthenticateAsync(token, AdminRequest.ClientAddress(context), context.RequestAborted)
            : null;
        var problem = principal is null ? AdminProblem.Unauthenticated()
            : access is null ? AdminProblem.AccessUndeclared()
            : principal.Role < access.Role ? AdminProblem.RoleTooLow(access.RoleWord, OperatorService.Word(principal.Role))
            : access.StepUp && !principal.HasRecentStepUp ? AdminProblem.StepUpRequired("this action")
            : null;
        if (problem is not null)
        {
            Log.Refused(logger, context.Request.Method, endpoint.DisplayName ?? "?", AdminRequest.ClientAddress(context), problem.Code);
            await problem.WriteAsync(context);
            return;
        }

        AdminRequest.SetPrincipal(context, principal!);
        await next(context);
    }
}
