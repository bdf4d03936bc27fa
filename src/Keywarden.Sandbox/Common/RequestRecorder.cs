using Microsoft.AspNetCore.Http;

namespace Keywarden.Sandbox.Common;

/// <summary>Handles an API request and records it in the request log whatever happens (errors and aborts included).</summary>
/// <remarks>
/// The record is written when the response starts, before the client can read a byte of it, so a
/// client that has its answer always finds its request in the log. A response that never starts
/// (aborted, or completed without a body) is recorded when the handler returns.
/// </remarks>
internal static class RequestRecorder
{
    public static async Task HandleAsync(SandboxState state, HttpContext context, string api, Func<HttpContext, RequestLogEntry, Task> handle)
    {
        var entry = new RequestLogEntry(context, api, state.TimeProvider.GetUtcNow());
        var recorded = 0;
        void RecordOnce()
        {
            if (Interlocked.Exchange(ref recorded, 1) == 0)
            {
                state.Record(entry.Build());
            }
        }

        context.Response.OnStarting(() =>
        {
            RecordOnce();
            return Task.CompletedTask;
        });
        try
        {
            await handle(context, entry);
        }
        finally
        {
            RecordOnce();
        }
    }
}
