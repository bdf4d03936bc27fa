using Spectre.Console;

namespace Keywarden.Cli.Infrastructure;

/// <summary>A table cell: plain text (never markup, so a name like <c>[red]</c> prints as written) and an optional style.</summary>
internal readonly record struct CliCell(string Text, string? Style = null)
{
    public static implicit operator CliCell(string text) => new(text);

    /// <summary>The cell cut to <paramref name="width"/> with "…" when longer, escaped, in its style.</summary>
    public Markup ToMarkup(int width)
    {
        var text = Text.Length > width && width > 1 ? string.Concat(Text.AsSpan(0, width - 1), "…") : Text;
        var escaped = Markup.Escape(text);
        return new Markup(Style is null ? escaped : $"[{Style}]{escaped}[/]");
    }
}
