using Keywarden.Application;
using Keywarden.Rotation;
using Keywarden.Rotation.Sinks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Keywarden.AdminApi.Errors;

/// <summary>
/// Every error answer is <c>application/problem+json</c>: refusals of the vault and of handlers become problems, and a
/// status the framework set without a body (no such route, 405, a body over 64 KiB, unreadable JSON) gets one. An
/// unexpected failure is logged by exception type only (a message might quote input) and answered 500.
/// </summary>
internal sealed class AdminErrorMiddleware(RequestDelegate next, ILogger<AdminErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        AdminProblem? problem;
        try
        {
            await next(context);
            problem = context.Response is { HasStarted: false, StatusCode: >= 400, ContentType: null } ? AdminProblem.ForStatus(context.Response.StatusCode) : null;
        }
        catch (VaultException e)
        {
            problem = AdminProblem.From(e);
        }
        catch (RotationException e)
        {
            problem = AdminProblem.From(e);
        }
        catch (SinkException e)
        {
            problem = AdminProblem.From(e);
        }
        catch (AdminApiException e)
        {
            problem = e.Problem;
        }
        catch (BadHttpRequestException e)
        {
            problem = AdminProblem.ForStatus(e.StatusCode);
        }
        catch (Exception e) when (!context.Response.HasStarted && e is not OperationCanceledException)
        {
            Log.Failed(logger, context.Request.Method, context.GetEndpoint()?.DisplayName ?? "?", e.GetType().Name);
            problem = AdminProblem.ForStatus(StatusCodes.Status500InternalServerError);
        }

        if (problem is not null && !context.Response.HasStarted)
        {
            context.Response.Clear();
            await problem.WriteAsync(context);
        }
    }
}
