using System.Buffers;
using System.Text;

namespace Keywarden.Scanner.Files;

/// <summary>
/// Decodes a stream into characters through pooled buffers: unlike <see cref="StreamReader"/>, a file costs no
/// fresh 64 KiB byte and 128 KiB char arrays (large-object-heap allocations, page faults) — with thousands of files
/// that was a third of the scan's time. The first block is read before decoding starts, to choose the encoding.
/// </summary>
internal sealed class TextFileReader : TextReader
{
    private const int BufferBytes = 64 * 1024;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private byte[]? _bytes;
    private Decoder _decoder = null!;
    private int _position;
    private int _length;
    private bool _end;

    private TextFileReader(Stream stream, bool leaveOpen)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
        _bytes = ArrayPool<byte>.Shared.Rent(BufferBytes);
    }

    /// <summary>Bytes taken from the stream so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>Reads the first block, chooses the encoding from it (<paramref name="sniff"/>) and skips its byte order mark.</summary>
    public static TextFileReader Open(Stream stream, bool leaveOpen, Func<ReadOnlySpan<byte>, bool, (Encoding Encoding, int Preamble)> sniff, int sniffBytes)
    {
        var reader = new TextFileReader(stream, leaveOpen);
        try
        {
            reader._length = stream.ReadAtLeast(reader._bytes.AsSpan(0, BufferBytes), sniffBytes, throwOnEndOfStream: false);
            reader.BytesRead = reader._length;
            reader._end = reader._length < sniffBytes;
            var (encoding, preamble) = sniff(reader._bytes.AsSpan(0, Math.Min(reader._length, sniffBytes)), reader._end);
            reader._decoder = encoding.GetDecoder();
            reader._position = Math.Min(preamble, reader._length);
            return reader;
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read(Span<char> buffer)
    {
        ObjectDisposedException.ThrowIf(_bytes is null, this);
        while (true)
        {
            if (_position == _length && !_end)
            {
                _length = _stream.Read(_bytes, 0, BufferBytes);
                _position = 0;
                _end = _length == 0;
                BytesRead += _length;
            }

            _decoder.Convert(_bytes.AsSpan(_position, _length - _position), buffer, flush: _end, out var used, out var chars, out _);
            _position += used;
            if (chars > 0 || (_end && _position == _length))
            {
                return chars;
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _bytes is { } bytes)
        {
            _bytes = null;
            ArrayPool<byte>.Shared.Return(bytes);
            if (!_leaveOpen)
            {
                _stream.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
