namespace Keywarden.Core.Policy;

/// <summary>Finds the sender headers in the header block of a raw MIME message, without parsing the rest.</summary>
internal static class RawHeaders
{
    /// <summary>True for a header that names the sender a recipient sees: <c>From</c> or <c>Sender</c> (any case).</summary>
    public static bool IsSenderHeader(string name) =>
        name.Equals("From", StringComparison.OrdinalIgnoreCase) || name.Equals("Sender", StringComparison.OrdinalIgnoreCase);

    /// <summary>Adds the (unfolded) value of every From and Sender header of <paramref name="raw"/> to <paramref name="from"/>.</summary>
    public static void AddSenders(string raw, List<string> from)
    {
        var text = raw.AsSpan();
        string? current = null;
        while (!text.IsEmpty)
        {
            var newline = text.IndexOf('\n');
            var line = newline < 0 ? text : text[..newline];
            text = newline < 0 ? [] : text[(newline + 1)..];
            line = line.TrimEnd('\r');
            if (line.IsEmpty)
            {
                break; // end of the header block
            }

            if (line[0] is ' ' or '\t')
            {
                if (current is not null)
                {
                    current = string.Concat(current, " ", line.Trim());
                    from[^1] = current;
                }

                continue;
            }

            current = null;
            var colon = line.IndexOf(':');
            if (colon > 0 && IsSenderHeader(line[..colon].TrimEnd().ToString()))
            {
                current = line[(colon + 1)..].Trim().ToString();
                from.Add(current);
            }
        }
    }
}
