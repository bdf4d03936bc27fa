using System.Text;
using System.Text.RegularExpressions;

namespace Keywarden.Rotation.Sinks;

/// <summary>
/// The one-line specification of a sink, as stored and shown:
/// <c>env:PATH#VAR</c>, <c>json:PATH#a.b.c</c>, <c>yaml:PATH#a.b.c</c> or <c>exec:COMMAND [ARGS...]</c>.
/// PATH is absolute; the part after the last <c>#</c> names the variable or the dotted path.
/// An <c>exec</c> line is split into words without a shell: words are separated by spaces, and
/// <c>'…'</c>, <c>"…"</c> (with <c>\"</c> and <c>\\</c>) and <c>\</c> quote as they do in a shell.
/// </summary>
public sealed partial class KeySinkSpec
{
    private KeySinkSpec(KeySinkKind kind, string? filePath, string? target, IReadOnlyList<string> command)
    {
        Kind = kind;
        FilePath = filePath;
        Target = target;
        Command = command;
    }

    /// <summary>What the sink writes to.</summary>
    public KeySinkKind Kind { get; }

    /// <summary>The absolute path of the file, for file sinks; null for <see cref="KeySinkKind.Command"/>.</summary>
    public string? FilePath { get; }

    /// <summary>The variable name (env) or dotted path (json, yaml); null for <see cref="KeySinkKind.Command"/>.</summary>
    public string? Target { get; }

    /// <summary>The dotted path split into its names (json, yaml); empty otherwise.</summary>
    public IReadOnlyList<string> TargetPath => Kind is KeySinkKind.JsonFile or KeySinkKind.YamlFile ? Target!.Split('.') : [];

    /// <summary>The program and its arguments, for <see cref="KeySinkKind.Command"/>; empty otherwise.</summary>
    public IReadOnlyList<string> Command { get; }

    /// <summary>Parses a specification.</summary>
    /// <exception cref="SinkException">The text is not a valid specification; the message says what is wrong.</exception>
    public static KeySinkSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
        {
            throw new SinkException("a sink spec is one line: it must not contain line breaks or NUL");
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var scheme = colon < 0 ? "" : text[..colon];
        var rest = colon < 0 ? "" : text[(colon + 1)..];
        return scheme switch
        {
            "env" => ParseFile(KeySinkKind.EnvFile, scheme, rest),
            "json" => ParseFile(KeySinkKind.JsonFile, scheme, rest),
            "yaml" => ParseFile(KeySinkKind.YamlFile, scheme, rest),
            "exec" => new KeySinkSpec(KeySinkKind.Command, null, null, SplitWords(rest)),
            _ => throw new SinkException(
                $"unknown sink spec '{Shorten(text)}': expected env:PATH#VAR, json:PATH#a.b.c, yaml:PATH#a.b.c or exec:COMMAND [ARGS...]"),
        };
    }

    /// <summary>The canonical one-line form, which <see cref="Parse"/> reads back to an equal specification.</summary>
    public override string ToString() => Kind switch
    {
        KeySinkKind.EnvFile => $"env:{FilePath}#{Target}",
        KeySinkKind.JsonFile => $"json:{FilePath}#{Target}",
        KeySinkKind.YamlFile => $"yaml:{FilePath}#{Target}",
        _ => "exec:" + string.Join(' ', Command.Select(QuoteWord)),
    };

    private static KeySinkSpec ParseFile(KeySinkKind kind, string scheme, string rest)
    {
        var example = kind == KeySinkKind.EnvFile ? "env:/srv/app/.env#MAILCHIMP_API_KEY" : $"{scheme}:/srv/app/config.{scheme}#mailchimp.api_key";
        var hash = rest.LastIndexOf('#');
        if (hash < 0)
        {
            throw new SinkException($"sink spec '{scheme}:{Shorten(rest)}' names no {(kind == KeySinkKind.EnvFile ? "variable" : "path")}: expected e.g. {example}");
        }

        var path = rest[..hash];
        var target = rest[(hash + 1)..];
        if (path.Length == 0 || !Path.IsPathFullyQualified(path))
        {
            throw new SinkException($"the file of sink spec '{scheme}:{Shorten(rest)}' must be an absolute path, e.g. {example}");
        }

        var valid = kind == KeySinkKind.EnvFile ? EnvName().IsMatch(target) : DottedPath().IsMatch(target);
        if (!valid)
        {
            throw new SinkException(kind == KeySinkKind.EnvFile
                ? $"invalid variable '{Shorten(target)}' in sink spec: a name of letters, digits and _ not starting with a digit, e.g. {example}"
                : $"invalid path '{Shorten(target)}' in sink spec: property names joined by dots (no empty names, no spaces), e.g. {example}");
        }

        return new KeySinkSpec(kind, path, target, []);
    }

    private static List<string> SplitWords(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            switch (c)
            {
                case ' ' or '\t':
                    if (inWord)
                    {
                        words.Add(word.ToString());
                        word.Clear();
                        inWord = false;
                    }

                    break;
                case '\'':
                    var close = line.IndexOf('\'', i + 1);
                    if (close < 0)
                    {
                        throw new SinkException("exec sink spec has an unclosed ' quote");
                    }

                    word.Append(line, i + 1, close - i - 1);
                    i = close;
                    inWord = true;
                    break;
                case '"':
                    i = ReadDoubleQuoted(line, i, word);
                    inWord = true;
                    break;
                case '\\':
                    if (i + 1 >= line.Length)
                    {
                        throw new SinkException("exec sink spec ends with a lone backslash");
                    }

                    word.Append(line[++i]);
                    inWord = true;
                    break;
                default:
                    word.Append(c);
                    inWord = true;
                    break;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        if (words.Count == 0 || words[0].Length == 0)
        {
            throw new SinkException("exec sink spec names no program: expected e.g. exec:/usr/local/bin/reload-key --app billing");
        }

        return words;
    }

    private static int ReadDoubleQuoted(string line, int open, StringBuilder word)
    {
        for (var i = open + 1; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '"')
            {
                return i;
            }

            if (c == '\\' && i + 1 < line.Length && line[i + 1] is '"' or '\\')
            {
                c = line[++i];
            }

            word.Append(c);
        }

        throw new SinkException("exec sink spec has an unclosed \" quote");
    }

    private static string QuoteWord(string word) =>
        word.Length > 0 && BareWord().IsMatch(word)
            ? word
            : "\"" + word.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    // Specs are shown back in messages; a very long one would not be one readable line.
    private static string Shorten(string text) => text.Length <= 120 ? text : text[..117] + "...";

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex EnvName();

    [GeneratedRegex(@"^[^.\s#]+(\.[^.\s#]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex DottedPath();

    [GeneratedRegex(@"^[A-Za-z0-9_@%+=:,./-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex BareWord();
}
