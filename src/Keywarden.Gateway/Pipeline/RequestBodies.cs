using Keywarden.Core.Tokens;
using Keywarden.Gateway.Forwarding;
using Keywarden.Gateway.Outcomes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace Keywarden.Gateway.Pipeline;

/// <summary>What the pipeline does with request bodies: read them whole, tell whether one can come, put a judged one back.</summary>
public static class RequestBodies
{
    /// <summary>Reads the whole body up to <paramref name="limit"/> bytes; null when it is larger.</summary>
    public static ValueTask<BufferedBody?> ReadAsync(HttpContext context, long limit) =>
        RequestBodyReader.ReadAsync(context.Request.Body, context.Request.ContentLength, limit, context.RequestAborted);

    /// <summary>True when every Content-Encoding is identity (the gateway does not inflate bodies it must read).</summary>
    public static bool IsIdentity(StringValues encodings)
    {
        foreach (var value in encodings)
        {
            foreach (var encoding in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>False when the request cannot have a body (no Content-Length, not chunked, or HTTP/2 with END_STREAM).</summary>
    public static bool CanHaveBody(HttpContext context) =>
        context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? true;

    /// <summary>
    /// Watches a body that is streamed to the upstream for <paramref name="token"/> on its way: found, the upstream
    /// request is aborted and the client answered as for a leaked token (<see cref="UpstreamForwarding"/>).
    /// </summary>
    public static void Watch(HttpContext context, RequestOutcome outcome, GatewayToken token, long length)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(outcome);
        Span<byte> secret = stackalloc byte[GatewayToken.RandomLength];
        TokenBytes.WriteSecret(token, secret);
        outcome.BodyGuard = new TokenGuardStream(context.Request.Body, secret, length);
        context.Request.Body = outcome.BodyGuard;
    }

    /// <summary>Puts a buffered (and possibly rewritten) body back on the request for the forwarder to send.</summary>
    public static void Replace(HttpContext context, byte[] body, string contentType)
    {
        context.Request.Body = new MemoryStream(body, writable: false);
        context.Request.ContentLength = body.Length;
        context.Request.ContentType = contentType;
        context.Request.Headers.Remove("Transfer-Encoding");
    }
}
