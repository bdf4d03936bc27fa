using System.CommandLine;
using System.CommandLine.Completions;

namespace Keywarden.Cli.Completion;

/// <summary>
/// A command as the completion scripts see it, read from the real command tree so the scripts cannot go stale:
/// its subcommands, the options it takes (its own and the recursive ones of the commands around it) and the fixed
/// values its arguments accept.
/// </summary>
/// <param name="Path">The words after <c>keywarden</c> that select it (<c>token issue</c>); empty for the root.</param>
/// <param name="Name">Its last word (<c>issue</c>).</param>
/// <param name="Description">One line of help.</param>
/// <param name="Subcommands">Its visible subcommands.</param>
/// <param name="Options">Its own options and the recursive ones of the commands around it.</param>
/// <param name="ArgumentValues">The fixed values its arguments accept (<c>bash zsh fish</c>); none means any text or a file.</param>
internal sealed record CompletionNode(
    string Path,
    string Name,
    string Description,
    IReadOnlyList<CompletionNode> Subcommands,
    IReadOnlyList<CompletionOption> Options,
    IReadOnlyList<string> ArgumentValues)
{
    /// <summary>The tree under <paramref name="root"/>, hidden commands and options left out.</summary>
    public static CompletionNode From(Command root)
    {
        ArgumentNullException.ThrowIfNull(root);
        return From(root, "", []);
    }

    /// <summary>This command and every command under it, parents first.</summary>
    public IEnumerable<CompletionNode> SelfAndDescendants() =>
        Subcommands.SelectMany(c => c.SelfAndDescendants()).Prepend(this);

    private static CompletionNode From(Command command, string path, IReadOnlyList<Option> inherited)
    {
        var options = command.Options.Concat(inherited)
            .Where(o => !o.Hidden)
            .DistinctBy(o => o.Name)
            .Select(Describe)
            .ToList();
        var passedOn = inherited.Concat(command.Options.Where(o => o.Recursive)).ToList();
        var subcommands = command.Subcommands
            .Where(c => !c.Hidden)
            .Select(c => From(c, path.Length == 0 ? c.Name : $"{path} {c.Name}", passedOn))
            .ToList();
        var argumentValues = command.Arguments
            .Where(a => !a.Hidden)
            .SelectMany(a => a.GetCompletions(CompletionContext.Empty).Select(i => i.Label))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return new CompletionNode(path, command.Name, OneLine(command.Description), subcommands, options, argumentValues);
    }

    private static CompletionOption Describe(Option option)
    {
        // A bool option is a flag, though its arity allows "--json true".
        var takesValue = option.ValueType != typeof(bool) && option.Arity.MaximumNumberOfValues > 0;
        var values = takesValue
            ? option.GetCompletions(CompletionContext.Empty).Select(i => i.Label).Distinct(StringComparer.Ordinal).ToList()
            : [];
        // Windows-style aliases (/h, /?) are left out: a Unix shell would take them for paths.
        var aliases = option.Aliases.Where(a => a.StartsWith('-')).Order(StringComparer.Ordinal);
        return new CompletionOption([option.Name, .. aliases], OneLine(option.Description), takesValue, values);
    }

    private static string OneLine(string? text) => string.Join(' ', (text ?? "").Split((char[])['\r', '\n', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
}
