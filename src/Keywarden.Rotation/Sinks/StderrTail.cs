namespace Keywarden.Rotation.Sinks;

/// <summary>Keeps the last lines a program wrote to stderr, for a failure message, with the key taken out as they arrive.</summary>
internal sealed class StderrTail(int capacity, string key)
{
    private const int MaxLineLength = 300;
    private readonly Queue<string> _lines = new();
    private readonly Lock _gate = new();

    public async Task ReadAsync(TextReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            // Redact before shortening, so a cut cannot leave part of the key behind.
            line = line.Replace(key, "[redacted]", StringComparison.Ordinal).Trim();
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
}
