using System.Text;

namespace Keywarden.Cli.Completion;

/// <summary>
/// The lookup functions the bash and zsh scripts share: a <c>case</c> on the command path (and option) that prints
/// words. Only how the words are printed differs: each method's <c>print</c> makes that command.
/// </summary>
internal static class ShellCaseTables
{
    /// <summary><c>function PATH</c> prints <paramref name="words"/> of the command at PATH; nothing for other paths.</summary>
    public static void Words(
        StringBuilder script,
        string function,
        string comment,
        IEnumerable<CompletionNode> nodes,
        Func<CompletionNode, IEnumerable<string>> words,
        Func<IReadOnlyList<string>, string> print)
    {
        script.Append("# ").Append(comment).Append('\n')
            .Append(function).Append("() {\n")
            .Append("    case \"$1\" in\n");
        foreach (var node in nodes)
        {
            var list = words(node).ToList();
            if (list.Count > 0)
            {
                script.Append("        ").Append(ShellQuote.Posix(node.Path)).Append(") ").Append(print(list)).Append(" ;;\n");
            }
        }

        script.Append("    esac\n").Append("}\n\n");
    }

    /// <summary>
    /// <c>_keywarden_option_values PATH OPTION</c> succeeds when the option takes a value, and prints the values to offer
    /// (nothing: any text or a file name); it fails for a flag or an unknown option.
    /// </summary>
    public static void OptionValues(StringBuilder script, IEnumerable<CompletionNode> nodes, Func<IReadOnlyList<string>, string> print)
    {
        script.Append("# Succeeds when option $2 of the command path $1 takes a value, and prints the values to offer (none: any).\n")
            .Append("_keywarden_option_values() {\n")
            .Append("    case \"$1|$2\" in\n");
        foreach (var node in nodes)
        {
            foreach (var group in node.Options.Where(o => o.TakesValue).GroupBy(o => string.Join('\n', o.Values), StringComparer.Ordinal))
            {
                script.Append("        ").Append(string.Join('|', group.SelectMany(o => o.Names).Select(name => ShellQuote.Posix($"{node.Path}|{name}")))).Append(')');
                if (group.First().Values is { Count: > 0 } values)
                {
                    script.Append(' ').Append(print(values));
                }

                script.Append(" ;;\n");
            }
        }

        script.Append("        *) return 1 ;;\n")
            .Append("    esac\n")
            .Append("}\n\n");
    }
}
