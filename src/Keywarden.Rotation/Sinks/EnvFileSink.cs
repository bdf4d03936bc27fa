using System.Text.RegularExpressions;

namespace Keywarden.Rotation.Sinks;

/// <summary>
/// Replaces a variable's value in a dotenv file: <c>VAR=value</c>, <c>export VAR=value</c>, with the
/// value bare, <c>"double"</c> or <c>'single'</c> quoted (the quotes are kept) and an optional
/// <c># comment</c> after it. The variable must be assigned exactly once.
/// </summary>
internal sealed partial class EnvFileSink(KeySinkSpec spec) : FileSink(spec)
{
    protected override string Rewrite(string text, string key, string file)
    {
        var name = Spec.Target!;
        (int Start, int Length)? value = null;
        var assignments = 0;
        foreach (var (start, length) in TextLines.Split(text))
        {
            var line = text.Substring(start, length);
            var match = Assignment().Match(line);
            if (!match.Success || match.Groups["name"].Value != name)
            {
                continue;
            }

            assignments++;
            var (valueStart, valueLength) = ValueSpan(line, match.Length, name, file);
            value = (start + valueStart, valueLength);
        }

        if (assignments == 0)
        {
            throw new SinkException($"{file} has no variable {name}: add it once by hand; Keywarden replaces a value, it does not guess where one goes");
        }

        if (assignments > 1)
        {
            throw new SinkException($"{file} assigns {name} {assignments} times: refusing to guess which one the application reads");
        }

        return TextLines.Splice(text, value!.Value.Start, value.Value.Length, key);
    }

    private static (int Start, int Length) ValueSpan(string line, int at, string name, string file)
    {
        if (at < line.Length && line[at] is '"' or '\'')
        {
            var quote = line[at];
            var close = at + 1;
            while (close < line.Length && (line[close] != quote || (quote == '"' && line[close - 1] == '\\')))
            {
                close++;
            }

            if (close >= line.Length)
            {
                throw new SinkException($"{name} in {file} has a multi-line or unterminated quoted value: refusing to rewrite it");
            }

            return (at + 1, close - at - 1);
        }

        // A bare value ends at a comment (" #") or the end of the line; trailing blanks stay.
        var end = line.Length;
        for (var i = at; i < line.Length; i++)
        {
            if (line[i] == '#' && line[i - 1] is ' ' or '\t')
            {
                end = i;
                break;
            }
        }

        while (end > at && line[end - 1] is ' ' or '\t')
        {
            end--;
        }

        // An empty value before a comment ("VAR=   # note"): the key goes right after '=', so the blanks
        // still separate it from the comment ("VAR=key   # note"); at the comment it would join it.
        return end == at && at < line.Length ? (line.LastIndexOf('=', at - 1) + 1, 0) : (at, end - at);
    }

    [GeneratedRegex(@"^[ \t]*(?:export[ \t]+)?(?<name>[A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*", RegexOptions.CultureInvariant)]
    private static partial Regex Assignment();
}
