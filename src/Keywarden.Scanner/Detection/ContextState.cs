namespace Keywarden.Scanner.Detection;

/// <summary>
/// What one text's scan knows about one <see cref="ContextRule"/>: the lines of the current window with a keyword, the
/// last keyword line of earlier windows, and the candidates of an unfinished line still waiting for a keyword.
/// </summary>
internal sealed class ContextState(ContextRule rule)
{
    public ContextRule Rule { get; } = rule;

    /// <summary>Lines of the current window holding a keyword, in order, once each.</summary>
    public List<long> KeywordLines { get; } = [];

    /// <summary>Candidates on <see cref="PendingLine"/>, a line that goes on into the next window.</summary>
    public List<RawFinding> Pending { get; } = [];

    public long PendingLine { get; set; }

    /// <summary>The last keyword line of the windows before this one.</summary>
    public long LastKeywordLine { get; set; } = long.MinValue / 2;

    /// <summary>The last keyword line the current window owns (before its limit).</summary>
    public long LastKeywordLineBeforeLimit { get; set; } = long.MinValue;

    /// <summary>True when a keyword is on <paramref name="line"/> or one of the lines the pattern allows above it.</summary>
    public bool IsNearKeyword(long line)
    {
        var above = Rule.Pattern.LinesAbove;
        if (LastKeywordLine >= line - above && LastKeywordLine <= line)
        {
            return true;
        }

        foreach (var keywordLine in KeywordLines)
        {
            if (keywordLine >= line - above && keywordLine <= line)
            {
                return true;
            }
        }

        return false;
    }
}
