using Keywarden.Core.Keys;
using Keywarden.Core.Providers;

namespace Keywarden.Mailchimp;

/// <summary>
/// A bare Transactional key in text: 22 of <c>[A-Za-z0-9_-]</c> mixing digits, upper- and lower-case letters, believed
/// only with a Mandrill keyword on its line or one of the two above (22 such characters alone are too common).
/// </summary>
internal sealed class BareTransactionalKeyPattern() : ContextSecretPattern(
    MailchimpScanRules.TransactionalKey,
    TransactionalKeyPatterns.Description,
    TransactionalKey.BodyLength,
    ["mandrill", "mailchimp_transactional", "mailchimp-transactional", "mailchimptransactional"],
    linesAbove: 2)
{
    public override bool IsCandidate(ReadOnlySpan<char> candidate) =>
        candidate.ContainsAnyInRange('0', '9') && candidate.ContainsAnyInRange('A', 'Z') && candidate.ContainsAnyInRange('a', 'z');
}
