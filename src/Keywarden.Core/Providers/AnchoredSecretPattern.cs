namespace Keywarden.Core.Providers;

/// <summary>
/// A secret that contains a fixed literal, its <see cref="Anchor"/> (<c>-us</c> in a Marketing key, <c>md-</c>): the
/// scanner finds every anchor of every pattern in one vectorised pass and asks the pattern at each hit.
/// </summary>
public abstract class AnchoredSecretPattern : SecretPattern
{
    /// <summary>The longest match any anchored pattern may have.</summary>
    public const int MaxSupportedLength = 63;

    /// <param name="ruleId">The findings' rule id.</param>
    /// <param name="description">One line for a report.</param>
    /// <param name="anchor">The literal, case-sensitive, at least 2 characters.</param>
    /// <param name="maxLength">The longest match, at most 63 characters (what a chunk of text carries past its end).</param>
    protected AnchoredSecretPattern(string ruleId, string description, string anchor, int maxLength)
        : base(ruleId, description)
    {
        ArgumentException.ThrowIfNullOrEmpty(anchor);
        ArgumentOutOfRangeException.ThrowIfLessThan(anchor.Length, 2, nameof(anchor));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, anchor.Length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxLength, MaxSupportedLength);
        Anchor = anchor;
        MaxLength = maxLength;
    }

    /// <summary>The literal every match contains (case-sensitive).</summary>
    public string Anchor { get; }

    /// <summary>The longest match.</summary>
    public int MaxLength { get; }

    /// <summary>
    /// The secret the anchor at <paramref name="anchorAt"/> belongs to, judged on its characters alone:
    /// <paramref name="start"/> and <paramref name="length"/> in <paramref name="text"/>, or false. <paramref name="text"/>
    /// holds at least <see cref="MaxLength"/> characters on each side of the anchor, or ends where the scanned text
    /// ends; it may begin inside a longer secret, and a match that would start before it is not one (the scanner saw
    /// that secret whole in the text before). Judge from the anchor, never by searching backwards for the shortest
    /// match. The scanner then checks what surrounds the match and whether it is a placeholder.
    /// </summary>
    public abstract bool TryMatch(ReadOnlySpan<char> text, int anchorAt, out int start, out int length);
}
