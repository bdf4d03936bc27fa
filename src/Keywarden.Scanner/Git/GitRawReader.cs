using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Keywarden.Scanner.Git;

/// <summary>
/// Reads the NUL-separated output of <c>git log --raw -z --format=%x01%H%x00%an%x00%ae%x00%aI</c> and of
/// <c>git diff --raw -z</c>: commit headers and <c>:oldmode newmode oldid newid status\0path\0</c> entries.
/// Yields the blobs added or changed (deletions and submodules are not content); one entry at a time.
/// </summary>
internal static class GitRawReader
{
    public const string LogFormat = "--format=%x01%H%x00%an%x00%ae%x00%aI";
    private const char CommitMarker = '\u0001';
    private const string Submodule = "160000";

    /// <param name="reader">git's stdout.</param>
    /// <param name="onCommit">Called for each commit header, also for commits that only delete.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    public static async IAsyncEnumerable<GitBlobEntry> ReadAsync(TextReader reader, Action<GitCommit>? onCommit = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var tokens = new NulTokenReader(reader);
        GitCommit? commit = null;
        while (await tokens.NextAsync(cancellationToken) is { } token)
        {
            if (token.Length == 0)
            {
                continue;
            }

            if (token[0] == CommitMarker)
            {
                var author = await tokens.NextAsync(cancellationToken) ?? "";
                var email = await tokens.NextAsync(cancellationToken) ?? "";
                var date = await tokens.NextAsync(cancellationToken) ?? "";
                commit = new GitCommit(token[1..], author, email, DateTimeOffset.Parse(date, CultureInfo.InvariantCulture));
                onCommit?.Invoke(commit);
                continue;
            }

            if (token[0] != ':')
            {
                throw new ScanException("unexpected output from git log");
            }

            var path = await tokens.NextAsync(cancellationToken) ?? throw new ScanException("unexpected end of git output");
            var fields = token[1..].Split(' ');
            if (fields.Length < 5 || fields[1] == Submodule || fields[4].StartsWith('D')
                || !ObjectId.TryParse(fields[3], out var blob) || blob.IsZero)
            {
                continue;
            }

            yield return new GitBlobEntry(blob, path, commit);
        }
    }

    /// <summary>Tokens between NULs, with the line feed git puts between a commit header and its entries trimmed.</summary>
    private sealed class NulTokenReader(TextReader reader)
    {
        private readonly char[] _buffer = new char[16 * 1024];
        private readonly StringBuilder _token = new();
        private int _position;
        private int _length;

        public async ValueTask<string?> NextAsync(CancellationToken cancellationToken)
        {
            _token.Clear();
            while (true)
            {
                if (_position == _length)
                {
                    _length = await reader.ReadAsync(_buffer, cancellationToken);
                    _position = 0;
                    if (_length == 0)
                    {
                        return _token.Length == 0 ? null : Trim(_token.ToString());
                    }
                }

                var span = _buffer.AsSpan(_position, _length - _position);
                var nul = span.IndexOf('\0');
                if (nul >= 0)
                {
                    _token.Append(span[..nul]);
                    _position += nul + 1;
                    return Trim(_token.ToString());
                }

                _token.Append(span);
                _position = _length;
            }
        }

        private static string Trim(string token) => token.TrimStart('\n');
    }
}
