using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace Keywarden.Gateway.Pipeline;

/// <summary>What the pipeline does with request bodies: read them whole, tell whether one can come, put a judged one back.</summary>
internal static class RequestBodies
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

    public static bool CanHaveBody(HttpContext context) =>
        context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? true;

    /// <summary>Puts a buffered (and possibly rewritten) body back on the request for the forwarder to send.</summary>
    public static void Replace(HttpContext context, byte[] body, string contentType)
    {
        context.Request.Body = new MemoryStream(body, writable: false);
        context.Request.ContentLength = body.Length;
        context.Request.ContentType = contentType;
        context.Request.Headers.Remove("Transfer-Encoding");
    }
}
