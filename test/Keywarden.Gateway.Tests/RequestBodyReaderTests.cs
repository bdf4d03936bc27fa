using Keywarden.Gateway.Pipeline;

namespace Keywarden.Gateway.Tests;

/// <summary>The buffer for bodies the gateway must read: sized by the bytes that arrive, never by what the client claims.</summary>
public sealed class RequestBodyReaderTests
{
    private const long Limit = 10 * 1024 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const long InitialClaim = RequestBodyReader.InitialSize;

    [Fact]
    public async Task ALyingContentLength_AllocatesNothingLikeWhatItClaims()
    {
        var body = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();
        // Warm up JIT and the pool's bucket for what an honest reader rents here (a first buffer of at most 4 KiB, given
        // back on dispose), so only a buffer sized from the claim would allocate below.
        (await RequestBodyReader.ReadAsync(new MemoryStream(body), InitialClaim, Limit, Ct))!.Dispose();

        // A MemoryStream completes every read at once: the whole read runs on this thread, so its allocations are counted.
        var before = GC.GetAllocatedBytesForCurrentThread();
        var read = await RequestBodyReader.ReadAsync(new MemoryStream(body), Limit, Limit, Ct);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(body, read!.ToArray());
        Assert.True(allocated < 2048, $"{allocated} bytes allocated to read 100 bytes that claimed 10 MiB");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4096)]
    [InlineData(4097)]
    [InlineData(300_000)]
    public async Task ABody_IsReadWhole_HoweverItArrives(int size)
    {
        var body = Enumerable.Range(0, size).Select(i => (byte)(i * 7)).ToArray();

        var read = await RequestBodyReader.ReadAsync(new TrickleStream(body, 1000), null, Limit, Ct);

        Assert.Equal(body, read!.ToArray());
    }

    [Fact]
    public async Task ABodyOverTheLimit_IsNull_WhateverItsContentLengthSaid()
    {
        var body = new byte[5000];

        var read = await RequestBodyReader.ReadAsync(new TrickleStream(body, 700), 10, 4999, Ct);

        Assert.Null(read);
    }

    /// <summary>Hands its bytes out at most <c>chunk</c> at a time, as a slow client's body arrives.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
