namespace Keywarden.Scanner.Detection;

/// <summary>
/// Turns positions in a window into line and column, moving forward only: one pass over the window per rule,
/// counting line feeds with vectorised search. A CRLF is one line break (its CR ends the line it is on).
/// </summary>
internal ref struct LineCursor
{
    private readonly ReadOnlySpan<char> _window;
    private readonly long _windowStart;
    private int _position;
    private long _line;
    private long _lineStart;

    public LineCursor(ReadOnlySpan<char> window, long windowStart, long line, long lineStart)
    {
        _window = window;
        _windowStart = windowStart;
        _line = line;
        _lineStart = lineStart;
    }

    /// <summary>Line (1-based) of position <paramref name="index"/>, which must not be before the previous one asked.</summary>
    public long LineAt(int index)
    {
        Advance(index);
        return _line;
    }

    /// <summary>Column (1-based) of position <paramref name="index"/>.</summary>
    public long ColumnAt(int index)
    {
        Advance(index);
        return _windowStart + index - _lineStart + 1;
    }

    private void Advance(int index)
    {
        if (index < _position)
        {
            throw new InvalidOperationException("the cursor only moves forward");
        }

        var between = _window[_position..index];
        var count = between.Count('\n');
        if (count > 0)
        {
            _line += count;
            _lineStart = _windowStart + _position + between.LastIndexOf('\n') + 1;
        }

        _position = index;
    }
}
