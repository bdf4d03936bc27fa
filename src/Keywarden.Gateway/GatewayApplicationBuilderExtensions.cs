using System.Text.Json;
using Keywarden.Gateway.Hosting;
using Keywarden.Gateway.Limits;
using Keywarden.Gateway.Observability;
using Keywarden.Gateway.Pipeline;
using Keywarden.Gateway.Tokens;
using Keywarden.Gateway.Audit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Keywarden.Gateway;

/// <summary>The gateway in a host's request pipeline.</summary>
public static class GatewayApplicationBuilderExtensions
{
    /// <summary>
    /// Serves the gateway (<see cref="GatewayServiceCollectionExtensions.AddKeywardenGateway"/> first): every API request
    /// goes straight to the pipeline, with no endpoint routing (routing would cost each a matcher run for the sake of
    /// three operational paths), plus <c>/healthz</c>, <c>/readyz</c>, and <c>/metrics</c> on the metrics listeners only
    /// (request counts and rule names are not for every client of the API).
    /// </summary>
    /// <param name="app">The host's pipeline.</param>
    /// <param name="listenerRoles">
    /// True when connections carry a <see cref="ListenerRole"/> (metrics listeners, or listeners of other services in the
    /// same host): a connection of another role is passed on to what follows. False (one API listener) skips the look.
    /// </param>
    public static IApplicationBuilder MapKeywardenGateway(this IApplicationBuilder app, bool listenerRoles)
    {
        ArgumentNullException.ThrowIfNull(app);
        var services = app.ApplicationServices;
        var tokens = services.GetRequiredService<TokenCache>();
        var audit = services.GetRequiredService<AuditQueue>();
        var metrics = services.GetRequiredService<GatewayMetrics>();
        var endpoint = services.GetRequiredService<GatewayEndpoint>();
        AddGauges(metrics, audit, services.GetRequiredService<KeyConcurrencyGuard>(), tokens);

        return app.Use((context, next) =>
        {
            var role = listenerRoles ? RoleOf(context) : ListenerRole.Api;
            if (role is not (ListenerRole.Api or ListenerRole.Metrics))
            {
                return next(context);
            }

            var onMetrics = role == ListenerRole.Metrics;
            if (HttpMethods.IsGet(context.Request.Method))
            {
                switch (context.Request.Path.Value)
                {
                    case "/healthz":
                        return WriteTextAsync(context, "ok\n", "text/plain; charset=utf-8", StatusCodes.Status200OK);
                    case "/readyz":
                        var (ready, body) = Readiness(tokens, audit);
                        return WriteTextAsync(context, body, "application/json", ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
                    case "/metrics" when onMetrics:
                        return metrics.WriteAsync(context);
                }
            }

            return onMetrics
                ? WriteTextAsync(context, "not found: this listener serves /metrics, /healthz and /readyz\n", "text/plain; charset=utf-8", StatusCodes.Status404NotFound)
                : endpoint.InvokeAsync(context);
        });
    }

    /// <summary>
    /// Makes the gateway ready to serve, before the host starts listening: loads the token cache (a failure is the
    /// caller's: a gateway that cannot read its store must not start) and starts the audit writer. The host disposes
    /// the audit queue (a singleton) when it is disposed, after stopping, which flushes what is left.
    /// </summary>
    public static async Task StartKeywardenGatewayAsync(this IApplicationBuilder app, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        await app.ApplicationServices.GetRequiredService<TokenCache>().RefreshAsync(force: true, cancellationToken);
        app.ApplicationServices.GetRequiredService<AuditQueue>().Start();
    }

    private static string RoleOf(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(ListenerRole.Key, out var role) == true && role is string text
            ? text
            : ListenerRole.Api;

    private static (bool Ready, string Body) Readiness(TokenCache tokens, AuditQueue audit)
    {
        var problems = new List<string>();
        var ready = true;
        if (!tokens.Loaded)
        {
            problems.Add("token cache not loaded");
            ready = false;
        }

        if (!audit.Healthy)
        {
            // Fail-open is the operator's choice to keep serving: readiness must not take the instance out anyway.
            problems.Add(audit.FailOpen ? "audit failing (fail-open: serving unaudited)" : "audit failing: refusing traffic");
            ready &= audit.FailOpen;
        }

        return (ready, JsonSerializer.Serialize(new Dictionary<string, object> { ["ready"] = ready, ["problems"] = problems }));
    }

    private static void AddGauges(GatewayMetrics metrics, AuditQueue audit, KeyConcurrencyGuard guard, TokenCache tokens)
    {
        metrics.AddGauge("keywarden_audit_queue_depth", "Audit records accepted and not yet written to the store.", () => audit.Depth);
        metrics.AddGauge("keywarden_audit_healthy", "1 while audit records are being written, 0 while the store fails (requests are refused unless fail-open).", () => audit.Healthy ? 1 : 0);
        metrics.AddGauge("keywarden_audit_last_commit_seconds", "How long the last audit append took, from the write lock to the commit.", () => audit.LastCommitDuration.TotalSeconds);
        metrics.AddGauge("keywarden_key_slots_waiting", "Requests waiting for one of a real key's concurrency slots.", () => guard.Waiting);
        metrics.AddGauge("keywarden_key_slots_in_flight", "Requests holding a real key's concurrency slot (forwarded, not yet answered).", () => guard.InFlight);
        metrics.AddGauge("keywarden_tokens_cached", "Live tokens in the gateway's in-memory cache.", () => tokens.Current.Tokens.Count);
        metrics.AddGauge("keywarden_token_cache_revision", "The store revision the token cache was loaded from.", () => tokens.Current.Revision);
    }

    private static Task WriteTextAsync(HttpContext context, string body, string contentType, int status)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        return context.Response.WriteAsync(body, context.RequestAborted);
    }
}
