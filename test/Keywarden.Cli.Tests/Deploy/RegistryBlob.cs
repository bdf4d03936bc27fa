using Microsoft.AspNetCore.Http;

namespace Keywarden.Cli.Tests.Deploy;

/// <summary>A manifest or blob of <see cref="BaseImageRegistry"/>, with the digest header registries send.</summary>
internal sealed class RegistryBlob(byte[] content, string type, string digest) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.ContentType = type;
        httpContext.Response.ContentLength = content.Length;
        httpContext.Response.Headers["Docker-Content-Digest"] = digest;
        if (!HttpMethods.IsHead(httpContext.Request.Method))
        {
            await httpContext.Response.Body.WriteAsync(content, httpContext.RequestAborted);
        }
    }
}
