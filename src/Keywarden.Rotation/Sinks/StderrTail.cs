using System.Text.RegularExpressions;

namespace Keywarden.Rotation.Sinks;

/// <summary>
/// Keeps the last lines a program wrote to stderr, for a failure message, with the key taken out as
/// they arrive, and anything else shaped like a key or token too (a script may well print the old key).
/// </summary>
internal sealed partial class StderrTail(int capacity, string key)
{
    private const string Redacted = "[redacted]";
    private const int MaxLineLength = 300;
    private readonly Queue<string> _lines = new();
    private readonly Lock _gate = new();

    public async Task ReadAsync(TextReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            // Redact before shortening, so a cut cannot leave part of the key behind.
            line = SecretShape().Replace(line.Replace(key, Redacted, StringComparison.Ordinal), Redacted).Trim();
            if (line.Length == 0)
            {
                continue;
            }

            lock (_gate)
            {
                _lines.Enqueue(line.Length > MaxLineLength ? line[..MaxLineLength] + "..." : line);
                if (_lines.Count > capacity)
                {
                    _lines.Dequeue();
                }
            }
        }
    }

    /// <summary><c>; stderr: a | b</c> (lines joined so the message stays one line), or empty when there was none.</summary>
    public string Render()
    {
        lock (_gate)
        {
            return _lines.Count == 0 ? "" : "; stderr: " + string.Join(" | ", _lines);
        }
    }

    // The shapes the audit log redacts (Core's AuditNormalizer): gateway tokens, admin sessions, machine credentials and
    // invitations, Marketing keys, md- Transactional keys.
    [GeneratedRegex("kw[smi]?_[0-9A-Za-z]{36}|[0-9a-f]{32}-us[0-9]{1,2}|md-[A-Za-z0-9_-]{22}", RegexOptions.CultureInvariant)]
    private static partial Regex SecretShape();
}
