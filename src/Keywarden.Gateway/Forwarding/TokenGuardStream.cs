namespace Keywarden.Gateway.Forwarding;

/// <summary>
/// A streamed request body on its way to Mailchimp, watched for the caller's token. Bytes go on only once
/// they cannot be the start of the token (the last <c>length - 1</c> are held back until more arrive), so
/// a body that carries the token fails before any byte of it reaches the upstream, in constant memory.
/// </summary>
internal sealed class TokenGuardStream : Stream
{
    private readonly Stream _inner;
    private readonly byte[] _secret;
    private readonly byte[] _window;
    private int _held; // bytes at the start of _window, read from the client, not yet handed on
    private bool _innerDone;

    public TokenGuardStream(Stream inner, ReadOnlySpan<byte> secret)
    {
        _inner = inner;
        _secret = secret.ToArray();
        _window = new byte[Math.Max(16 * 1024, 4 * secret.Length)];
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

        var keep = _secret.Length - 1;
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
            if (_window.AsSpan(from, _held - from).IndexOf(_secret) >= 0)
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
