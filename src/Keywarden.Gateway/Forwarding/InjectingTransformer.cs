using Keywarden.Gateway.Pipeline;
using Keywarden.Gateway.Tokens;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Keywarden.Gateway.Forwarding;

/// <summary>
/// Turns the judged request into the upstream request: the canonical path and effective method
/// (exactly what the policy saw), the real key injected the way the upstream expects, and every
/// client credential and override header removed, so the token never leaves the gateway.
/// A body the gateway had to read (batches, Transactional calls) is put back on the incoming
/// request before forwarding (YARP does not allow replacing the outgoing content).
/// </summary>
public sealed class InjectingTransformer : HttpTransformer
{
    private static readonly string[] StrippedHeaders =
    [
        "Authorization", "Proxy-Authorization", "Cookie", "Origin", "Referer",
        "X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override",
        "Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Prefix", "X-Real-IP",
    ];

    /// <param name="target">The upstream and its real key.</param>
    /// <param name="method">The effective method, as judged.</param>
    /// <param name="pathAndQuery">The canonical path and query, as judged.</param>
    /// <param name="allowedOrigin">The browser origin the token's policy allowed for this request, or null (not a browser request).</param>
    /// <param name="authorization">The Authorization header that carries the real key, or null for an API that takes it in the body.</param>
    public InjectingTransformer(UpstreamTarget target, string method, string pathAndQuery, string? allowedOrigin, string? authorization)
    {
        Authorization = authorization;
        Target = target;
        Method = method;
        PathAndQuery = pathAndQuery;
        AllowedOrigin = allowedOrigin;
    }

    public UpstreamTarget Target { get; }

    public string Method { get; }

    public string PathAndQuery { get; }

    public string? AllowedOrigin { get; }

    /// <summary>The Authorization header that carries the real key, or null. Never logged.</summary>
    public string? Authorization { get; }

    public override async ValueTask TransformRequestAsync(
        HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);

        proxyRequest.Method = HttpMethod.Parse(Method);
        proxyRequest.RequestUri = new Uri(destinationPrefix + PathAndQuery, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });

        // The default transform copies the client's Host. The real key travels with this request, so its Host (and with
        // it the TLS server name, which the handler takes from an explicit Host) must be the upstream's own: null makes
        // the handler use the destination's authority.
        proxyRequest.Headers.Host = null;

        // Headers the client named in Connection are hop-by-hop (RFC 9110 section 7.6.1): they end here.
        foreach (var value in httpContext.Request.Headers.Connection)
        {
            foreach (var name in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                proxyRequest.Headers.Remove(name);
                proxyRequest.Content?.Headers.Remove(name);
            }
        }

        // The outgoing headers are a copy of the incoming ones: only those the client sent need removing, and asking
        // Kestrel's header table is cheaper than asking the outgoing collection.
        var incoming = httpContext.Request.Headers;
        foreach (var header in StrippedHeaders)
        {
            if (incoming.ContainsKey(header))
            {
                proxyRequest.Headers.Remove(header);
            }
        }

        if (Authorization is not null)
        {
            proxyRequest.Headers.TryAddWithoutValidation("Authorization", Authorization);
        }
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var copy = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);

        // The policy allowed this origin (a request with an origin it does not allow never gets here): the browser may
        // read the answer. Whatever Mailchimp says about CORS is replaced by what the token allows: that origin or none.
        if (AllowedOrigin is not null)
        {
            CorsHeaders.Allow(httpContext.Response.Headers, AllowedOrigin);
        }
        else
        {
            CorsHeaders.Deny(httpContext.Response.Headers);
        }

        return copy;
    }
}
