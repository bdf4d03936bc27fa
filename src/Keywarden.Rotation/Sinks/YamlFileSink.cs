namespace Keywarden.Rotation.Sinks;

/// <summary>
/// Replaces a scalar in a YAML file by a line-based edit, because a YAML library would rewrite the
/// whole file in its own style. Understood: block mappings indented with spaces, comments, plain,
/// <c>'single'</c> and <c>"double"</c> quoted scalars on one line (the quoting is kept), one
/// document. Anything that could make the path mean something else or the value span lines (flow
/// style, anchors and aliases, merge keys, tags, block or multi-line scalars, several documents,
/// tab indentation) is refused with a message that says so, rather than guessed.
/// </summary>
internal sealed class YamlFileSink(KeySinkSpec spec) : FileSink(spec)
{
    protected override string Rewrite(string text, string key, string file)
    {
        var target = Spec.TargetPath;
        var name = Spec.Target!;

        // Open mappings on the way to the current line: their indentation and key (null for a sequence item).
        var stack = new List<(int Indent, string? Key)>();
        var found = new List<(int Start, int Length)>();
        var lines = TextLines.Split(text);
        var valueIndent = -1; // lines indented deeper than this continue the previous key's value
        var content = false;
        for (var n = 0; n < lines.Count; n++)
        {
            var line = text.Substring(lines[n].Start, lines[n].Length);
            var indent = line.Length - line.TrimStart(' ').Length;
            var rest = line[indent..];
            if (rest.Length == 0 || rest[0] == '#')
            {
                continue;
            }

            if (valueIndent >= 0 && indent > valueIndent)
            {
                continue;
            }

            valueIndent = -1;
            if (rest[0] == '\t')
            {
                throw Unsupported(file, n, "indents with a tab");
            }

            if (indent == 0 && (rest.StartsWith("---", StringComparison.Ordinal) || rest.StartsWith("...", StringComparison.Ordinal)))
            {
                if (content || rest.StartsWith("...", StringComparison.Ordinal))
                {
                    throw Unsupported(file, n, "holds several documents");
                }

                continue;
            }

            content = true;
            while (stack.Count > 0 && stack[^1].Indent >= indent)
            {
                stack.RemoveAt(stack.Count - 1);
            }

            if (rest == "-" || rest.StartsWith("- ", StringComparison.Ordinal))
            {
                // A sequence item: nothing below it is on a mapping path. Its own "key: value", if any, is skipped too.
                stack.Add((indent, null));
                valueIndent = indent;
                continue;
            }

            if (rest[0] is '{' or '[')
            {
                throw Unsupported(file, n, "uses flow style ({ } or [ ])");
            }

            var entry = Entry.Parse(rest) ?? throw Unsupported(file, n, "has a line that is not a 'key: value' mapping entry");
            if (entry.Key == "<<")
            {
                throw Unsupported(file, n, "uses a merge key (<<)");
            }

            var value = rest[entry.ValueStart..];
            if (value.Length > 0 && value[0] is '&' or '*')
            {
                throw Unsupported(file, n, "uses anchors or aliases (& *)");
            }

            var onTarget = stack.Count == target.Count - 1 && stack.Select(s => s.Key).SequenceEqual(target.Take(stack.Count)) && entry.Key == target[^1];
            if (value.Length == 0 || value[0] == '#')
            {
                if (onTarget)
                {
                    throw new SinkException(ContinuesDeeper(text, lines, n + 1, indent)
                        ? $"{name} in {file} is a mapping, not a scalar: refusing to replace it with a key"
                        : $"{name} in {file} has no value (null in YAML): give it a placeholder such as \"\" first");
                }

                stack.Add((indent, entry.Key));
                continue;
            }

            valueIndent = indent;
            if (!onTarget)
            {
                continue;
            }

            var (start, length) = Scalar(value, name, file);
            if (n + 1 < lines.Count && ContinuesDeeper(text, lines, n + 1, indent))
            {
                throw new SinkException($"{name} in {file} is a multi-line scalar: refusing to rewrite it");
            }

            found.Add((lines[n].Start + indent + entry.ValueStart + start, length));
        }

        if (found.Count == 0)
        {
            throw new SinkException($"{file} has no key {name}: add it once by hand; Keywarden replaces a value, it does not guess where one goes");
        }

        if (found.Count > 1)
        {
            throw new SinkException($"{file} has key {name} {found.Count} times: refusing to guess which one the application reads");
        }

        return TextLines.Splice(text, found[0].Start, found[0].Length, key);
    }

    // The span of the scalar's text inside the value, without its quotes (kept) or a trailing comment.
    private static (int Start, int Length) Scalar(string value, string name, string file)
    {
        switch (value[0])
        {
            case '|' or '>':
                throw new SinkException($"{name} in {file} is a block (multi-line) scalar: refusing to rewrite it");
            case '!':
                throw new SinkException($"{name} in {file} has a tag (!): refusing to rewrite it");
            case '{' or '[':
                throw new SinkException($"{name} in {file} is in flow style ({{ }} or [ ]): refusing to rewrite it");
            case '"' or '\'':
                var quote = value[0];
                for (var i = 1; i < value.Length; i++)
                {
                    if (quote == '"' && value[i] == '\\')
                    {
                        i++;
                    }
                    else if (value[i] == quote && quote == '\'' && i + 1 < value.Length && value[i + 1] == '\'')
                    {
                        i++;
                    }
                    else if (value[i] == quote)
                    {
                        return (1, i - 1);
                    }
                }

                throw new SinkException($"{name} in {file} is a quoted scalar that spans lines: refusing to rewrite it");
            default:
                var end = value.Length;
                for (var i = 1; i < value.Length; i++)
                {
                    if (value[i] == '#' && value[i - 1] is ' ' or '\t')
                    {
                        end = i;
                        break;
                    }
                }

                return (0, value[..end].TrimEnd(' ', '\t').Length);
        }
    }

    private static bool ContinuesDeeper(string text, List<(int Start, int Length)> lines, int from, int indent)
    {
        for (var n = from; n < lines.Count; n++)
        {
            var line = text.Substring(lines[n].Start, lines[n].Length);
            var trimmed = line.TrimStart(' ');
            if (trimmed.Length == 0 || trimmed[0] == '#')
            {
                continue;
            }

            return line.Length - trimmed.Length > indent;
        }

        return false;
    }

    private static SinkException Unsupported(string file, int line, string what) =>
        new($"{file} line {line + 1} {what}, which Keywarden does not edit: only block mappings with one-line scalars are supported");

    /// <summary>A <c>key: value</c> line: the key (unquoted) and where the value starts (after the colon and blanks).</summary>
    private sealed record Entry(string Key, int ValueStart)
    {
        public static Entry? Parse(string rest)
        {
            int colon;
            string key;
            if (rest[0] is '"' or '\'')
            {
                var close = rest.IndexOf(rest[0], 1);
                if (close < 0 || close + 1 >= rest.Length || rest[close + 1] != ':')
                {
                    return null;
                }

                key = rest[1..close];
                colon = close + 1;
            }
            else
            {
                colon = -1;
                for (var i = 0; i < rest.Length; i++)
                {
                    if (rest[i] == ':' && (i + 1 == rest.Length || rest[i + 1] is ' ' or '\t'))
                    {
                        colon = i;
                        break;
                    }

                    if (rest[i] == '#' && i > 0 && rest[i - 1] is ' ' or '\t')
                    {
                        return null;
                    }
                }

                if (colon <= 0)
                {
                    return null;
                }

                key = rest[..colon].TrimEnd(' ', '\t');
            }

            if (colon + 1 < rest.Length && rest[colon + 1] is not (' ' or '\t'))
            {
                return null;
            }

            var start = colon + 1;
            while (start < rest.Length && rest[start] is ' ' or '\t')
            {
                start++;
            }

            return new Entry(key, start);
        }
    }
}
