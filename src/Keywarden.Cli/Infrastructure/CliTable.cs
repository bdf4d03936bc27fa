using Spectre.Console;
using Spectre.Console.Rendering;

namespace Keywarden.Cli.Infrastructure;

/// <summary>
/// A table that never wraps a cell: ids, times and states stay whole on one line so they can be copied; when the terminal
/// is too narrow, prose columns (paths, policies, specs) are cut short with "…" instead. Styles show only where colour is
/// on (a terminal without <c>NO_COLOR</c>, see <see cref="CliContext.Console"/>). Too narrow
/// for the whole columns, each row becomes a block of labelled lines.
/// </summary>
internal sealed class CliTable
{
    private const int MinProseWidth = 8;
    private const int ColumnGap = 2;
    private readonly List<(string Header, bool Prose)> _columns = [];
    private readonly List<CliCell[]> _rows = [];

    /// <summary>A column kept whole (ids, times, numbers, states).</summary>
    public CliTable Column(string header)
    {
        _columns.Add((header, false));
        return this;
    }

    /// <summary>A column cut short with "…" when the table would not fit.</summary>
    public CliTable Prose(string header)
    {
        _columns.Add((header, true));
        return this;
    }

    public void Row(params CliCell[] cells)
    {
        if (cells.Length != _columns.Count)
        {
            throw new ArgumentException($"a row of {cells.Length} cells for {_columns.Count} columns", nameof(cells));
        }

        _rows.Add(cells);
    }

    public void Write(IAnsiConsole console)
    {
        if (Fit(console.Profile.Width) is not { } widths)
        {
            WriteRecords(console);
            return;
        }

        var table = new Table().Border(TableBorder.None).HideRowSeparators();
        foreach (var (header, _) in _columns)
        {
            table.AddColumn(new TableColumn(new Markup($"[bold]{Markup.Escape(header)}[/]")).NoWrap().Padding(0, 0, ColumnGap, 0));
        }

        foreach (var row in _rows)
        {
            table.AddRow(row.Select((cell, i) => (IRenderable)cell.ToMarkup(widths[i])).ToArray());
        }

        console.Write(table);
    }

    /// <summary>Too narrow even for the whole columns: one block per row, a field per line, only prose cut.</summary>
    private void WriteRecords(IAnsiConsole console)
    {
        var label = _columns.Max(c => c.Header.Length) + ColumnGap;
        foreach (var row in _rows)
        {
            for (var i = 0; i < _columns.Count; i++)
            {
                console.Write(new Markup($"[bold]{Markup.Escape(_columns[i].Header.PadRight(label))}[/]"));
                console.Write(row[i].ToMarkup(_columns[i].Prose ? Math.Max(MinProseWidth, console.Profile.Width - label) : int.MaxValue));
                console.WriteLine();
            }

            console.WriteLine();
        }
    }

    /// <summary>
    /// Each column's width: its widest cell, with prose columns narrowed (widest first) until the table fits; null when
    /// it cannot fit without cutting a whole column.
    /// </summary>
    private int[]? Fit(int available)
    {
        var widths = _columns.Select((c, i) => _rows.Select(r => r[i].Text.Length).Append(c.Header.Length).Max()).ToArray();
        var excess = widths.Sum() + (ColumnGap * widths.Length) - available;
        while (excess > 0)
        {
            var widest = -1;
            for (var i = 0; i < widths.Length; i++)
            {
                var floor = Math.Max(MinProseWidth, _columns[i].Header.Length);
                if (_columns[i].Prose && widths[i] > floor && (widest < 0 || widths[i] > widths[widest]))
                {
                    widest = i;
                }
            }

            if (widest < 0)
            {
                return null;
            }

            widths[widest]--;
            excess--;
        }

        return widths;
    }
}
