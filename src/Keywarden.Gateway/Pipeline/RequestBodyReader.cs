using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace Keywarden.Gateway.Pipeline;

/// <summary>
/// Reads a request body whole, for the requests the gateway must judge by their body, into a pooled buffer that grows
/// as bytes arrive: the client's Content-Length is a claim, not memory it has earned, so it never sizes more than the
/// first small buffer. A small body costs no allocation for its buffer (the pool's), only what the caller copies out.
/// </summary>
internal static class RequestBodyReader
{
    /// <summary>The most the first buffer holds, whatever Content-Length says; it doubles as bytes arrive.</summary>
    public const int InitialSize = 4096;

    /// <summary>The whole body, in a pooled buffer the caller disposes; null when it is larger than <paramref name="limit"/>.</summary>
    /// <param name="body">The request body.</param>
    /// <param name="contentLength">The client's Content-Length: only ever makes the first buffer smaller than <see cref="InitialSize"/>.</param>
    /// <param name="limit">The largest body accepted.</param>
    /// <param name="cancellationToken">The request's abort.</param>
    public static async ValueTask<BufferedBody?> ReadAsync(Stream body, long? contentLength, long limit, CancellationToken cancellationToken)
    {
        // One byte more than a body that fills it exactly, so its end is seen without growing.
        var first = (int)Math.Min(Math.Min(contentLength ?? InitialSize, InitialSize), limit) + 1;
        var buffer = ArrayPool<byte>.Shared.Rent(first);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    var whole = new BufferedBody(buffer, length);
                    buffer = null;
                    return whole;
                }

                length += read;
                if (length > limit)
                {
                    return null;
                }
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
