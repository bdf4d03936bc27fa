using System.Buffers;

namespace Keywarden.Gateway.Pipeline;

/// <summary>
/// A request body read whole (<see cref="RequestBodyReader"/>), in a buffer rented from the shared pool. Disposing it
/// returns the buffer: nothing may read <see cref="Memory"/> afterwards, so what outlives the request's judgement (a
/// body put back for forwarding) is copied out with <see cref="ToArray"/>.
/// </summary>
public sealed class BufferedBody : IDisposable
{
    private byte[]? _buffer;

    public BufferedBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlyMemory<byte> Memory => (_buffer ?? throw new ObjectDisposedException(nameof(BufferedBody))).AsMemory(0, Length);

    public ReadOnlySpan<byte> Span => Memory.Span;

    public byte[] ToArray() => Span.ToArray();

    /// <summary>Returns the buffer to the pool, once however often it is called (a buffer returned twice would be handed to two requests).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
