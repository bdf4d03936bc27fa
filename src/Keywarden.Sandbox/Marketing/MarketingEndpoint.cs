using System.Text;
using System.Text.RegularExpressions;
using Keywarden.Sandbox.Common;
using Microsoft.AspNetCore.Http;

namespace Keywarden.Sandbox.Marketing;

/// <summary>
/// HTTP front of the Marketing API under /3.0: method override, authentication, the per-key concurrency limit,
/// the test gate, then the router. Every request is recorded.
/// </summary>
internal sealed partial class MarketingEndpoint
{
    private const string PathPrefix = "/3.0";
    private readonly SandboxState _state;
    private readonly MarketingRouter _router;
    private readonly int _maxConcurrentRequestsPerKey;

    public MarketingEndpoint(SandboxState state, MarketingRouter router, int maxConcurrentRequestsPerKey)
    {
        _state = state;
        _router = router;
        _maxConcurrentRequestsPerKey = maxConcurrentRequestsPerKey;
    }

    public Task HandleAsync(HttpContext context) => RequestRecorder.HandleAsync(_state, context, "marketing", HandleCoreAsync);

    private async Task HandleCoreAsync(HttpContext context, RequestLogEntry entry)
    {
        var request = context.Request;
        var method = request.Method.ToUpperInvariant();
        var overridden = request.Headers["X-HTTP-Method-Override"];
        if (overridden.Count > 0)
        {
            if (method != HttpMethods.Post || overridden.Count > 1)
            {
                await WriteAsync(context, Problems.InvalidMethodOverride());
                return;
            }

            method = overridden[0]!.Trim().ToUpperInvariant();
        }

        entry.EffectiveMethod = method;
        var credential = MarketingCredential.Read(request);
        entry.AuthScheme = credential.Scheme;
        if (credential.IsMissing)
        {
            await WriteAsync(context, Problems.ApiKeyMissing());
            return;
        }

        var resolution = _state.ResolveMarketingKey(credential.Key!, HostDatacenter(request));
        entry.Key = resolution.Key;
        if (!resolution.IsAccepted)
        {
            await WriteAsync(context, Problems.ApiKeyInvalid());
            return;
        }

        var key = resolution.Key!;
        if (!_state.TryEnterInFlight(key.KeyId, _maxConcurrentRequestsPerKey))
        {
            await WriteAsync(context, Problems.TooManyRequests(_maxConcurrentRequestsPerKey));
            return;
        }

        try
        {
            await _state.PassGateAsync(context.RequestAborted);
            string? body = null;
            if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
            {
                using var reader = new StreamReader(request.Body, Encoding.UTF8);
                body = await reader.ReadToEndAsync(context.RequestAborted);
            }

            var query = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, values) in request.Query)
            {
                query[name] = values.Count > 0 ? values[0] ?? "" : "";
            }

            var path = request.Path.Value ?? "";
            var relative = path.Length > PathPrefix.Length ? path[PathPrefix.Length..] : "";
            var marketingRequest = new MarketingRequest
            {
                State = _state,
                Account = resolution.Account!,
                Key = key,
                Method = method,
                Segments = relative.Split('/', StringSplitOptions.RemoveEmptyEntries),
                Query = query,
                Body = body,
                Origin = $"{request.Scheme}://{request.Host.Value}",
            };
            var result = _router.Dispatch(marketingRequest);
            entry.BatchOperations = marketingRequest.BatchOperations;
            await WriteAsync(context, result);
        }
        finally
        {
            _state.ExitInFlight(key.KeyId);
        }
    }

    private static async Task WriteAsync(HttpContext context, MarketingResult result)
    {
        var headers = context.Response.Headers;
        headers["X-Request-Id"] = Guid.NewGuid().ToString();
        if (result.Allow is not null)
        {
            headers.Allow = result.Allow;
        }

        if (result.IsProblem)
        {
            headers.Link = "<https://api.mailchimp.com/schema/3.0/ProblemDetailDocument.json>; rel=\"describedBy\"";
        }

        await JsonResponses.WriteAsync(
            context.Response,
            result.Status,
            result.Body,
            result.IsProblem ? JsonResponses.ProblemJson : JsonResponses.Json);
    }

    /// <summary>The datacenter a request was addressed to, when its host names one (us21.localhost, us21.api.…).</summary>
    private static string? HostDatacenter(HttpRequest request)
    {
        var host = request.Host.Host;
        var dot = host.IndexOf('.', StringComparison.Ordinal);
        var label = dot < 0 ? host : host[..dot];
        return DatacenterLabel().IsMatch(label) ? label.ToLowerInvariant() : null;
    }

    [GeneratedRegex("^us[0-9]{1,2}$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex DatacenterLabel();
}
