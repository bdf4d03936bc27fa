using System.Text;
using Keywarden.Core.Tokens;
using Keywarden.Gateway.Forwarding;

namespace Keywarden.Gateway.Tests;

/// <summary>The streamed-body watch, at every place a token can fall across reads.</summary>
public sealed class TokenGuardStreamTests
{
    private static readonly byte[] Secret = Encoding.ASCII.GetBytes("AbCdEfGhIjKlMnOpQrStUvWxYz0123");

    [Theory]
    [InlineData("own secret", 1)]
    [InlineData("own secret", 7)]
    [InlineData("own secret", 29)]
    [InlineData("own secret", 30)]
    [InlineData("own secret", 31)]
    [InlineData("own secret", 4096)]
    [InlineData("another token", 1)]
    [InlineData("another token", 13)]
    [InlineData("another token", 39)]
    [InlineData("another token", 40)]
    [InlineData("another token", 4096)]
    public async Task AToken_IsCaught_WhereverReadsSplitIt_AndNoneOfItIsHandedOn(string which, int chunk)
    {
        // The caller's token may come without its prefix; any other well-formed token is caught too, whoever's it is.
        var token = which == "own secret" ? Secret : Encoding.ASCII.GetBytes(GatewayToken.Generate().Value);
        for (var at = 0; at < 70; at++)
        {
            var body = new byte[120];
            body.AsSpan().Fill((byte)'x');
            token.CopyTo(body, at);
            var guard = new TokenGuardStream(new TrickleStream(body, chunk), Secret, body.Length);

            var (handedOn, error) = await DrainAsync(guard, 13);

            Assert.IsType<IOException>(error);
            Assert.True(guard.TokenFound);
            Assert.True(handedOn.Length <= at, $"at {at}, chunk {chunk}: {handedOn.Length} bytes handed on");
        }
    }

    [Fact]
    public async Task AStringThatOnlyLooksLikeAToken_PassesWhole()
    {
        // The prefix and 36 base62 characters, with a wrong checksum: not a token (as the scanner says too).
        var body = Encoding.ASCII.GetBytes("note kw_" + new string('A', 36) + " and kw_ at the very end kw_");
        var guard = new TokenGuardStream(new TrickleStream(body, 7), Secret, body.Length);

        var (handedOn, error) = await DrainAsync(guard, 5);

        Assert.Null(error);
        Assert.Equal(body, handedOn);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(29)]
    [InlineData(4096)]
    public async Task ABodyWithoutTheToken_PassesWhole(int chunk)
    {
        // Almost the token, twice, and the token's first 29 bytes at the very end.
        var body = Encoding.ASCII.GetBytes("AbCdEfGhIjKlMnOpQrStUvWxYz012_ and AbCdEfGhIjKlMnOpQrStUvWxYz0124 end AbCdEfGhIjKlMnOpQrStUvWxYz012");
        var guard = new TokenGuardStream(new TrickleStream(body, chunk), Secret, body.Length);

        var (handedOn, error) = await DrainAsync(guard, 5);

        Assert.Null(error);
        Assert.False(guard.TokenFound);
        Assert.Equal(body, handedOn);
    }

    private static async Task<(byte[] HandedOn, Exception? Error)> DrainAsync(Stream stream, int readSize)
    {
        using var output = new MemoryStream();
        var buffer = new byte[readSize];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, TestContext.Current.CancellationToken)) > 0)
            {
                output.Write(buffer, 0, read);
            }

            return (output.ToArray(), null);
        }
        catch (IOException e)
        {
            return (output.ToArray(), e);
        }
    }

    /// <summary>Hands its bytes out at most <c>chunk</c> at a time, as a slow client's body arrives.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
