namespace Keywarden.Core.Providers;

/// <summary>
/// What a secret of one kind looks like in text, for the scanner: an <see cref="AnchoredSecretPattern"/> (a literal the
/// secret contains, such as <c>md-</c>) or a <see cref="ContextSecretPattern"/> (a bare run of characters believed only
/// near a keyword). Each <see cref="IUpstreamApi"/> supplies its own, so a new API's keys are found without editing the
/// scanner. The scanner does what every pattern shares: a secret is not preceded or followed by a letter or digit, a
/// placeholder body (<c>0000…</c>, <c>your-key-here</c>) is skipped, <c>keywarden:allow</c> silences a line.
/// </summary>
public abstract class SecretPattern
{
    private protected SecretPattern(string ruleId, string description)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ruleId);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        RuleId = ruleId;
        Description = description;
    }

    /// <summary>The rule id of the findings (<c>mailchimp-marketing-key</c>): a contract for baselines, SARIF and scripts.</summary>
    public string RuleId { get; }

    /// <summary>One line for a report: <c>Mailchimp Marketing API key</c>. Patterns with the same rule id share it.</summary>
    public string Description { get; }

    /// <summary>The random part of a match, judged for placeholders (by default all of it).</summary>
    public virtual Range Body(int length) => Range.All;
}
