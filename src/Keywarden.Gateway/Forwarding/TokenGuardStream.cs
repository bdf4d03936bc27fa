namespace Keywarden.Gateway.Forwarding;

/// <summary>
/// A streamed request body on its way to Mailchimp, watched for a token (<see cref="TokenBytes"/>: the caller's, or any
/// well-formed one). Bytes go on only once they cannot be the start of one (the last
/// <see cref="TokenBytes.HoldBack"/> are held back until more arrive), so a body that carries a token fails before
/// any byte of it reaches the upstream, in constant memory.
/// </summary>
internal sealed class TokenGuardStream : Stream
{
    private readonly Stream _inner;
    private readonly byte[] _secret;
    private readonly byte[] _window;
    private readonly int _keep;
    private int _held; // bytes at the start of _window, read from the client, not yet handed on
    private bool _innerDone;

    /// <param name="inner">The client's body.</param>
    /// <param name="secret">The caller's token's random part.</param>
    /// <param name="contentLength">The body's declared length: a small body gets a small window (never more than 16 KiB).</param>
    public TokenGuardStream(Stream inner, ReadOnlySpan<byte> secret, long contentLength)
    {
        _inner = inner;
        _secret = secret.ToArray();
        _keep = Math.Max(_secret.Length, TokenBytes.HoldBack + 1) - 1;
        _window = new byte[Math.Clamp(contentLength + 1, 4 * (_keep + 1), 16 * 1024)];
    }

    /// <summary>True once the token was seen: the read that saw it failed and nothing of it was handed on.</summary>
    public bool TokenFound { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        var keep = _keep;
        while (true)
        {
            // Everything but the last `keep` bytes is safe to hand on (the window was scanned when they arrived);
            // at the end of the body, everything is.
            var safe = _innerDone ? _held : Math.Max(0, _held - keep);
            if (safe > 0)
            {
                var count = Math.Min(safe, buffer.Length);
                _window.AsSpan(0, count).CopyTo(buffer.Span);
                _window.AsSpan(count, _held - count).CopyTo(_window);
                _held -= count;
                return count;
            }

            if (_innerDone)
            {
                return 0;
            }

            var read = await _inner.ReadAsync(_window.AsMemory(_held), cancellationToken);
            if (read == 0)
            {
                _innerDone = true;
                continue;
            }

            // Scan from where a match could start: the held-back tail plus what just arrived.
            var from = Math.Max(0, _held - keep);
            _held += read;
            if (TokenBytes.AppearIn(_window.AsSpan(from, _held - from), _secret))
            {
                TokenFound = true;
                throw new IOException("the request body carries the gateway token");
            }
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
