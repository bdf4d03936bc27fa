using System.Text;
using System.Text.RegularExpressions;

namespace Keywarden.Cli.Tests.Snapshots;

/// <summary>
/// Replaces what changes from run to run (ids, tokens, times, temp paths, ports, key prefixes) with stable placeholders.
/// Ids and tokens are numbered by first appearance, so the same id is the same placeholder throughout one snapshot and
/// a reader still sees which rows refer to which. In a table (from a header line of capitals to the next blank line or
/// transcript marker), a replacement of another length widens or narrows the next run of two or more spaces on its line,
/// so the columns stay aligned as the command printed them; elsewhere the text around a replacement is left as it was.
/// </summary>
internal sealed partial class SnapshotScrubber
{
    private readonly List<(string Text, Regex Pattern, string Placeholder)> _literals = [];
    private readonly Dictionary<string, Dictionary<string, string>> _numbered = new(StringComparer.Ordinal);

    /// <summary>Replaces <paramref name="path"/> (a directory of this run, e.g. the data directory) with <paramref name="placeholder"/>.</summary>
    public SnapshotScrubber Path(string path, string placeholder)
    {
        var trimmed = System.IO.Path.TrimEndingDirectorySeparator(path);
        if (trimmed.Length < 2)
        {
            throw new ArgumentException($"'{path}' is too short to scrub", nameof(path));
        }

        _literals.Add((trimmed, new Regex(Regex.Escape(trimmed) + @"(?![\w-])"), placeholder));
        return this;
    }

    /// <summary>Replaces the whole word <paramref name="word"/> (e.g. the user running the tests) with <paramref name="placeholder"/>.</summary>
    public SnapshotScrubber Word(string word, string placeholder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(word);
        _literals.Add((word, new Regex(@"(?<![\w-])" + Regex.Escape(word) + @"(?![\w-])"), placeholder));
        return this;
    }

    public string Scrub(string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var table = TableLines(lines);

        // The longest first: the data directory lies inside the temp root.
        foreach (var (_, pattern, placeholder) in _literals.OrderByDescending(l => l.Text.Length))
        {
            Replace(lines, table, pattern, _ => placeholder);
        }

        Replace(lines, table, GatewayToken(), m => Numbered("kw", m.Value, n => $"kw_TOKEN{n}"));
        Replace(lines, table, RecordId(), m => Numbered(m.Groups["prefix"].Value, m.Value, n => $"{m.Groups["prefix"].Value}_{n}"));
        Replace(lines, table, IsoTime(), _ => "<time>");
        Replace(lines, table, UniversalTime(), _ => "<time>");
        Replace(lines, table, Date(), _ => "<date>");
        Replace(lines, table, Hash(), _ => "<hash>");
        Replace(lines, table, AccountId(), m => Numbered("account", m.Value, n => $"<account{n}>"));
        Replace(lines, table, HexId(), m => Numbered("hex-id", m.Value, n => $"<hex-id{n}>"));
        Replace(lines, table, KeyPrefix(), _ => "xxxx…");
        Replace(lines, table, LoopbackPort(), m => m.Groups["host"].Value + ":<port>");
        Replace(lines, table, Latency(), _ => "<ms>");
        return string.Join('\n', lines);
    }

    /// <summary>Which lines are a table's: a header of capitals (ID  NAME  TIME (UTC)) and the rows under it, up to a blank line or a transcript marker.</summary>
    private static bool[] TableLines(string[] lines)
    {
        var table = new bool[lines.Length];
        for (var i = 0; i < lines.Length; i++)
        {
            table[i] = TableHeader().IsMatch(lines[i]) || (i > 0 && table[i - 1] && lines[i].Trim().Length > 0 && !TranscriptMarker(lines[i]));
        }

        return table;
    }

    /// <summary>A line <see cref="CliTranscript"/> writes around a command's output: <c>--- stderr</c>, <c>[exit 0]</c>.</summary>
    private static bool TranscriptMarker(string line) => line.StartsWith("--- ", StringComparison.Ordinal) || line.StartsWith("[exit ", StringComparison.Ordinal);

    private string Numbered(string kind, string value, Func<int, string> placeholder)
    {
        if (!_numbered.TryGetValue(kind, out var seen))
        {
            _numbered[kind] = seen = new Dictionary<string, string>(StringComparer.Ordinal);
        }

        if (!seen.TryGetValue(value, out var name))
        {
            seen[value] = name = placeholder(seen.Count + 1);
        }

        return name;
    }

    private static void Replace(string[] lines, bool[] table, Regex pattern, Func<Match, string> replacement)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            lines[i] = Replace(lines[i], table[i], pattern, replacement);
        }
    }

    private static string Replace(string line, bool aligned, Regex pattern, Func<Match, string> replacement)
    {
        var matches = pattern.Matches(line);
        if (matches.Count == 0)
        {
            return line;
        }

        var result = new StringBuilder(line.Length);
        var shrunk = 0; // characters the replacements so far took away (negative: added) and no gap has made up yet
        var position = 0;
        foreach (Match match in matches)
        {
            AppendGap(result, line.AsSpan(position, match.Index - position), ref shrunk);
            var value = replacement(match);
            result.Append(value);
            shrunk += aligned ? match.Length - value.Length : 0;
            position = match.Index + match.Length;
        }

        AppendGap(result, line.AsSpan(position), ref shrunk);
        return result.ToString();
    }

    /// <summary>Appends text between replacements, resizing its first column gap (two or more spaces) by <paramref name="shrunk"/>.</summary>
    private static void AppendGap(StringBuilder result, ReadOnlySpan<char> text, ref int shrunk)
    {
        var gap = shrunk == 0 ? -1 : text.IndexOf("  ", StringComparison.Ordinal);
        if (gap < 0)
        {
            result.Append(text);
            return;
        }

        var width = 0;
        while (gap + width < text.Length && text[gap + width] == ' ')
        {
            width++;
        }

        result.Append(text[..gap]).Append(' ', Math.Max(2, width + shrunk)).Append(text[(gap + width)..]);
        shrunk = 0;
    }

    [GeneratedRegex("(?<![0-9A-Za-z_])kw_[0-9A-Za-z]{36}(?![0-9A-Za-z])")]
    private static partial Regex GatewayToken();

    // tok_ (Core's AccessorId), up_, key_, rot_, sink_, al_ (Storage's RecordId), key_ + 16 hex (the sandbox's key ids).
    [GeneratedRegex("(?<![0-9A-Za-z_])(?<prefix>tok|up|key|rot|sink|al)_(?:[0-9a-z]{12}|[0-9a-f]{16})(?![0-9A-Za-z_])")]
    private static partial Regex RecordId();

    [GeneratedRegex(@"\b\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?")]
    private static partial Regex IsoTime();

    [GeneratedRegex(@"\b\d{4}-\d\d-\d\d \d\d:\d\d(?::\d\d)?Z?")]
    private static partial Regex UniversalTime();

    [GeneratedRegex(@"\b\d{4}-\d\d-\d\d\b")]
    private static partial Regex Date();

    [GeneratedRegex(@"^[A-Z]+(?: \([A-Z]+\))?(?:  +[A-Z]+(?: \([A-Z]+\))?)+\s*$")]
    private static partial Regex TableHeader();

    [GeneratedRegex("(?<![0-9A-Za-z])[0-9a-f]{64}(?![0-9A-Za-z])")]
    private static partial Regex Hash();

    // The sandbox's account ids: 25 hex characters, as Mailchimp's.
    [GeneratedRegex("(?<![0-9A-Za-z])[0-9a-f]{25}(?![0-9A-Za-z])")]
    private static partial Regex AccountId();

    // A master key's id: the first 8 bytes of an HMAC, in hex.
    [GeneratedRegex("(?<![0-9A-Za-z_])[0-9a-f]{16}(?![0-9A-Za-z_])")]
    private static partial Regex HexId();

    // How a key is shown: its first four characters and an ellipsis.
    [GeneratedRegex("(?<![0-9A-Za-z])[0-9a-f]{4}…")]
    private static partial Regex KeyPrefix();

    [GeneratedRegex(@"(?<host>127\.0\.0\.1|localhost|\[::1\]):\d{1,5}\b")]
    private static partial Regex LoopbackPort();

    [GeneratedRegex(@"\b\d+\.\d+ ms\b")]
    private static partial Regex Latency();
}
