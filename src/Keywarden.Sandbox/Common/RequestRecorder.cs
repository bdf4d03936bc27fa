using Microsoft.AspNetCore.Http;

namespace Keywarden.Sandbox.Common;

/// <summary>Handles an API request and records it in the request log whatever happens (errors and aborts included).</summary>
internal static class RequestRecorder
{
    public static async Task HandleAsync(SandboxState state, HttpContext context, string api, Func<HttpContext, RequestLogEntry, Task> handle)
    {
        var entry = new RequestLogEntry(context, api, state.TimeProvider.GetUtcNow());
        try
        {
            await handle(context, entry);
        }
        finally
        {
            state.Record(entry.Build());
        }
    }
}
