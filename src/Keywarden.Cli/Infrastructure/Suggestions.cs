namespace Keywarden.Cli.Infrastructure;

/// <summary>"Did you mean …?" for a mistyped command or option: the nearest name by edit distance, if it is near enough.</summary>
internal static class Suggestions
{
    /// <summary>The candidate nearest <paramref name="typed"/> (case-insensitive Levenshtein distance), or null when none is within a third of its length (at least 1, at most 3), or is a prefix of it or has it as a prefix.</summary>
    public static string? Nearest(string typed, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(typed);
        ArgumentNullException.ThrowIfNull(candidates);
        var bare = typed.TrimStart('-');
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates.Distinct(StringComparer.Ordinal))
        {
            var name = candidate.TrimStart('-');
            var distance = bare.Length >= 3 && (name.StartsWith(bare, StringComparison.OrdinalIgnoreCase) || bare.StartsWith(name, StringComparison.OrdinalIgnoreCase))
                ? 0
                : Distance(bare.ToLowerInvariant(), name.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return bestDistance <= Math.Clamp(bare.Length / 3, 1, 3) ? best : null;
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), substitution);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
