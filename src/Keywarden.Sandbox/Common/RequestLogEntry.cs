using Keywarden.Sandbox.State;
using Microsoft.AspNetCore.Http;

namespace Keywarden.Sandbox.Common;

/// <summary>Collects what the request log keeps of one API request while it is handled.</summary>
internal sealed class RequestLogEntry
{
    private static readonly string[] KeptHeaders =
    [
        "Host", "User-Agent", "Content-Type", "Accept", "X-HTTP-Method-Override", "X-Forwarded-For", "X-Forwarded-Proto",
        "X-Forwarded-Host", "X-Request-Id", "Origin",
    ];

    private static readonly HashSet<string> SecretQueryNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "key", "apikey", "api_key", "access_token", "token",
    };

    private readonly HttpContext _context;
    private readonly DateTimeOffset _time;

    public RequestLogEntry(HttpContext context, string api, DateTimeOffset time)
    {
        _context = context;
        _time = time;
        Api = api;
        EffectiveMethod = context.Request.Method;
    }

    public string Api { get; }

    public string EffectiveMethod { get; set; }

    public KeyRecord? Key { get; set; }

    public string? AuthScheme { get; set; }

    public IReadOnlyList<RecordedBatchOperation> BatchOperations { get; set; } = [];

    public RecordedRequest Build()
    {
        var request = _context.Request;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            if (KeptHeaders.Contains(name, StringComparer.OrdinalIgnoreCase)
                || name.StartsWith("X-Keywarden-", StringComparison.OrdinalIgnoreCase))
            {
                headers[name] = values.ToString();
            }
        }

        return new RecordedRequest(
            _time,
            request.Method,
            EffectiveMethod,
            request.Path.Value ?? "/",
            RedactQuery(request.QueryString.Value),
            Api,
            Key?.KeyId,
            Key?.AccountId,
            AuthScheme,
            _context.Response.StatusCode,
            headers,
            BatchOperations);
    }

    /// <summary>Keys never reach the log, even when a client puts one in the query string.</summary>
    private static string RedactQuery(string? query)
    {
        if (string.IsNullOrEmpty(query))
        {
            return "";
        }

        var parts = query.TrimStart('?').Split('&');
        for (var i = 0; i < parts.Length; i++)
        {
            var equals = parts[i].IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(equals < 0 ? parts[i] : parts[i][..equals]);
            if (equals >= 0 && SecretQueryNames.Contains(name))
            {
                parts[i] = parts[i][..(equals + 1)] + "REDACTED";
            }
        }

        return "?" + string.Join('&', parts);
    }
}
