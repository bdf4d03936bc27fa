using Keywarden.Core.Keys;
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
internal sealed class InjectingTransformer : HttpTransformer
{
    private static readonly string[] StrippedHeaders =
    [
        "Authorization", "Proxy-Authorization", "Cookie", "Origin", "Referer",
        "X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override",
        "Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Prefix", "X-Real-IP",
    ];

    public InjectingTransformer(UpstreamTarget target, string method, string pathAndQuery)
    {
        Target = target;
        Method = method;
        PathAndQuery = pathAndQuery;
    }

    public UpstreamTarget Target { get; }

    public string Method { get; }

    public string PathAndQuery { get; }

    public override async ValueTask TransformRequestAsync(
        HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);

        proxyRequest.Method = HttpMethod.Parse(Method);
        proxyRequest.RequestUri = new Uri(destinationPrefix + PathAndQuery, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });

        // Headers the client named in Connection are hop-by-hop (RFC 9110 section 7.6.1): they end here.
        foreach (var value in httpContext.Request.Headers.Connection)
        {
            foreach (var name in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                proxyRequest.Headers.Remove(name);
                proxyRequest.Content?.Headers.Remove(name);
            }
        }

        foreach (var header in StrippedHeaders)
        {
            proxyRequest.Headers.Remove(header);
        }

        if (Target.Kind == UpstreamKind.Marketing)
        {
            proxyRequest.Headers.TryAddWithoutValidation("Authorization", Target.AuthorizationHeader);
        }
    }
}
