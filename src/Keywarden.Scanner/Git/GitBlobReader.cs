using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Keywarden.Scanner.Git;

/// <summary>
/// One <c>git cat-file --batch</c> process: ask for a blob by id, read its content as a stream of exactly its size.
/// Not thread-safe; each scanning worker has its own.
/// </summary>
internal sealed class GitBlobReader : IDisposable
{
    private const int BufferBytes = 64 * 1024;

    private readonly Process _process;
    private readonly BufferedStream _output;
    private readonly Task<string> _error;

    public GitBlobReader(string repository)
    {
        _process = GitProcess.Start(repository, ["cat-file", "--batch"], redirectInput: true);
        _output = new BufferedStream(_process.StandardOutput.BaseStream, BufferBytes);
        _error = _process.StandardError.ReadToEndAsync();
    }

    /// <summary>Reads blob <paramref name="id"/>: <paramref name="read"/> gets its content (and may stop early); the rest is skipped.</summary>
    /// <returns>The blob's size, or -1 when the repository does not have it.</returns>
    public long Read(ObjectId id, Action<Stream> read)
    {
        _process.StandardInput.Write(id.ToString());
        _process.StandardInput.Write('\n');
        _process.StandardInput.Flush();

        var header = ReadLine();
        var fields = header.Split(' ');
        if (fields.Length == 2 && fields[1] == "missing")
        {
            return -1;
        }

        if (fields.Length != 3 || !long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            throw new ScanException($"unexpected answer from git cat-file: {header}");
        }

        var content = new BoundedStream(_output, size);
        read(content);
        content.Skip();
        if (_output.ReadByte() != '\n')
        {
            throw new ScanException("unexpected answer from git cat-file: no line feed after the content");
        }

        return size;
    }

    private string ReadLine()
    {
        var line = new StringBuilder(64);
        int b;
        while ((b = _output.ReadByte()) != '\n')
        {
            if (b < 0)
            {
                _process.WaitForExit();
                GitProcess.EnsureSuccessAsync(_process, _error).GetAwaiter().GetResult();
                throw new ScanException("git cat-file ended early");
            }

            line.Append((char)b);
        }

        return line.ToString();
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                GitProcess.Stop(_process);
            }
        }
        catch (IOException)
        {
            GitProcess.Stop(_process);
        }

        _output.Dispose();
        _process.Dispose();
    }

    /// <summary>The next <c>length</c> bytes of a shared stream, and no more.</summary>
    private sealed class BoundedStream(Stream inner, long length) : Stream
    {
        private readonly long _length = length;
        private long _remaining = length;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => _length;

        public override long Position
        {
            get => _length - _remaining;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_remaining == 0 || buffer.IsEmpty)
            {
                return 0;
            }

            var read = inner.Read(buffer[..(int)Math.Min(buffer.Length, _remaining)]);
            if (read == 0)
            {
                throw new ScanException("git cat-file ended in the middle of a blob");
            }

            _remaining -= read;
            return read;
        }

        /// <summary>Reads past what the caller left unread (a binary blob stops at its first NUL).</summary>
        public void Skip()
        {
            Span<byte> sink = stackalloc byte[4096];
            while (Read(sink) > 0)
            {
            }
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
