using System.Buffers;

namespace Keywarden.Core.Providers;

/// <summary>
/// A secret with nothing fixed in it (a bare Mandrill key: 22 of <c>[A-Za-z0-9_-]</c>), believed only when one of its
/// <see cref="Keywords"/> is on the same line or one of the <see cref="LinesAbove"/> lines above. Its characters are
/// "word" characters (<c>[A-Za-z0-9_-]</c>) and its length is fixed: the scanner looks for runs of that many with a
/// vectorised pass and offers each candidate (a run's start, and each start after a <c>_</c> or <c>-</c>) to
/// <see cref="IsCandidate"/>. A candidate that starts with or right after an anchor of an <see cref="AnchoredSecretPattern"/>
/// belongs to that pattern.
/// </summary>
public abstract class ContextSecretPattern : SecretPattern
{
    /// <summary>The shortest and longest length the scanner's run search supports.</summary>
    public const int MinSupportedLength = 17;

    /// <inheritdoc cref="MinSupportedLength"/>
    public const int MaxSupportedLength = 32;

    /// <param name="ruleId">The findings' rule id.</param>
    /// <param name="description">One line for a report.</param>
    /// <param name="length">The secret's length, 17 to 32.</param>
    /// <param name="keywords">Words (matched ignoring case) that make a candidate believable.</param>
    /// <param name="linesAbove">How many lines above a candidate a keyword may be.</param>
    protected ContextSecretPattern(string ruleId, string description, int length, IReadOnlyList<string> keywords, int linesAbove)
        : base(ruleId, description)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, MinSupportedLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, MaxSupportedLength);
        ArgumentNullException.ThrowIfNull(keywords);
        ArgumentOutOfRangeException.ThrowIfZero(keywords.Count, nameof(keywords));
        ArgumentOutOfRangeException.ThrowIfNegative(linesAbove);
        Length = length;
        Keywords = keywords;
        LinesAbove = linesAbove;
    }

    /// <summary>The secret's length in characters.</summary>
    public int Length { get; }

    /// <summary>Words (ignoring case) that make a candidate believable.</summary>
    public IReadOnlyList<string> Keywords { get; }

    /// <summary>How many lines above a candidate a keyword may be (0: its own line only).</summary>
    public int LinesAbove { get; }

    /// <summary>Whether <paramref name="candidate"/> (<see cref="Length"/> word characters) can be a secret, e.g. mixes digits and both cases.</summary>
    public abstract bool IsCandidate(ReadOnlySpan<char> candidate);

    /// <summary>The word characters a context secret is made of: <c>[A-Za-z0-9_-]</c>.</summary>
    public static SearchValues<char> WordChars { get; } =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");
}
