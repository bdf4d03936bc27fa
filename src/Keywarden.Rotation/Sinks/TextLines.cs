namespace Keywarden.Rotation.Sinks;

/// <summary>The lines of a text as (start, length) without their terminator (<c>\n</c> or <c>\r\n</c>), so edits keep line endings.</summary>
internal static class TextLines
{
    public static List<(int Start, int Length)> Split(string text)
    {
        var lines = new List<(int, int)>();
        var start = 0;
        while (start <= text.Length)
        {
            var newline = text.IndexOf('\n', start);
            var end = newline < 0 ? text.Length : newline;
            var length = end > start && text[end - 1] == '\r' ? end - start - 1 : end - start;
            if (newline >= 0 || start < text.Length)
            {
                lines.Add((start, length));
            }

            if (newline < 0)
            {
                break;
            }

            start = newline + 1;
        }

        return lines;
    }

    /// <summary><paramref name="text"/> with <paramref name="length"/> characters at <paramref name="start"/> replaced.</summary>
    public static string Splice(string text, int start, int length, string replacement) =>
        string.Concat(text.AsSpan(0, start), replacement, text.AsSpan(start + length));
}
