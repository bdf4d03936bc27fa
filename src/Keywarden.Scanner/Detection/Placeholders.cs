using System.Buffers;

namespace Keywarden.Scanner.Detection;

/// <summary>Secret bodies that are documentation, not secrets: short repeating patterns and telltale words.</summary>
internal static class Placeholders
{
    internal const int MaxPeriod = 16;

    private static readonly SearchValues<string> Words = SearchValues.Create(
        ["xxxx", "your", "example", "placeholder", "redacted", "changeme", "dummy", "sample", "fake", "test"],
        StringComparison.OrdinalIgnoreCase);

    public static bool IsPlaceholder(ReadOnlySpan<char> body) => IsPeriodic(body) || body.ContainsAny(Words);

    /// <summary>True when the body repeats with a period of <see cref="MaxPeriod"/> or less (<c>000…0</c>, <c>deadbeef</c> × 4).</summary>
    internal static bool IsPeriodic(ReadOnlySpan<char> body)
    {
        for (var period = 1; period <= MaxPeriod && period < body.Length; period++)
        {
            if (body[period..].SequenceEqual(body[..^period]))
            {
                return true;
            }
        }

        return false;
    }
}
