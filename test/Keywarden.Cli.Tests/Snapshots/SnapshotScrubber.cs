using System.Text;
using System.Text.RegularExpressions;

namespace Keywarden.Cli.Tests.Snapshots;

/// <summary>
/// Replaces what changes from run to run (ids, tokens, times, temp paths, ports, key prefixes) with stable placeholders.
/// Ids and tokens are numbered by first appearance, so the same id is the same placeholder throughout one snapshot and
/// a reader still sees which rows refer to which. A replacement of another length widens or narrows the next run of two
/// or more spaces on its line, so table columns stay aligned as the command printed them.
/// </summary>
internal sealed partial class SnapshotScrubber
{
    private readonly List<(string Path, string Placeholder)> _paths = [];
    private readonly Dictionary<string, Dictionary<string, string>> _numbered = new(StringComparer.Ordinal);

    /// <summary>Replaces <paramref name="path"/> (a directory of this run, e.g. the data directory) with <paramref name="placeholder"/>.</summary>
    public SnapshotScrubber Path(string path, string placeholder)
    {
        var trimmed = System.IO.Path.TrimEndingDirectorySeparator(path);
        if (trimmed.Length < 2)
        {
            throw new ArgumentException($"'{path}' is too short to scrub", nameof(path));
        }

        _paths.Add((trimmed, placeholder));
        return this;
    }

    public string Scrub(string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');

        // The longest path first: the data directory lies inside the temp root.
        foreach (var (path, placeholder) in _paths.OrderByDescending(p => p.Path.Length))
        {
            Replace(lines, new Regex(Regex.Escape(path) + @"(?![\w-])"), _ => placeholder);
        }

        Replace(lines, GatewayToken(), m => Numbered("kw", m.Value, n => $"kw_TOKEN{n}"));
        Replace(lines, RecordId(), m => Numbered(m.Groups["prefix"].Value, m.Value, n => $"{m.Groups["prefix"].Value}_{n}"));
        Replace(lines, IsoTime(), _ => "<time>");
        Replace(lines, UniversalTime(), _ => "<time>");
        Replace(lines, Date(), _ => "<date>");
        Replace(lines, Hash(), _ => "<hash>");
        Replace(lines, AccountId(), m => Numbered("account", m.Value, n => $"<account{n}>"));
        Replace(lines, KeyPrefix(), _ => "xxxx…");
        Replace(lines, LoopbackPort(), m => m.Groups["host"].Value + ":<port>");
        Replace(lines, Latency(), _ => "<ms>");
        return string.Join('\n', lines);
    }

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

    private static void Replace(string[] lines, Regex pattern, Func<Match, string> replacement)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            lines[i] = Replace(lines[i], pattern, replacement);
        }
    }

    private static string Replace(string line, Regex pattern, Func<Match, string> replacement)
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
            shrunk += match.Length - value.Length;
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

    // tok_ (Core's AccessorId), up_, key_, rot_, sink_ (Storage's RecordId), key_ + 16 hex (the sandbox's key ids).
    [GeneratedRegex("(?<![0-9A-Za-z_])(?<prefix>tok|up|key|rot|sink)_(?:[0-9a-z]{12}|[0-9a-f]{16})(?![0-9A-Za-z_])")]
    private static partial Regex RecordId();

    [GeneratedRegex(@"\b\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?")]
    private static partial Regex IsoTime();

    [GeneratedRegex(@"\b\d{4}-\d\d-\d\d \d\d:\d\d(?::\d\d)?Z")]
    private static partial Regex UniversalTime();

    [GeneratedRegex(@"\b\d{4}-\d\d-\d\d\b")]
    private static partial Regex Date();

    [GeneratedRegex("(?<![0-9A-Za-z])[0-9a-f]{64}(?![0-9A-Za-z])")]
    private static partial Regex Hash();

    // The sandbox's account ids: 25 hex characters, as Mailchimp's.
    [GeneratedRegex("(?<![0-9A-Za-z])[0-9a-f]{25}(?![0-9A-Za-z])")]
    private static partial Regex AccountId();

    // How a key is shown: its first four characters and an ellipsis.
    [GeneratedRegex("(?<![0-9A-Za-z])[0-9a-f]{4}…")]
    private static partial Regex KeyPrefix();

    [GeneratedRegex(@"(?<host>127\.0\.0\.1|localhost|\[::1\]):\d{1,5}\b")]
    private static partial Regex LoopbackPort();

    [GeneratedRegex(@"\b\d+\.\d+ ms\b")]
    private static partial Regex Latency();
}
