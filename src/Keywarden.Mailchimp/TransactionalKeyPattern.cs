using Keywarden.Core.Keys;
using Keywarden.Core.Providers;

namespace Keywarden.Mailchimp;

/// <summary>A prefixed Transactional key in text: <c>md-</c> + 22 of <c>[A-Za-z0-9_-]</c>.</summary>
internal sealed class TransactionalKeyPattern() : AnchoredSecretPattern(
    MailchimpScanRules.TransactionalKey, TransactionalKeyPatterns.Description, TransactionalKey.MdPrefix, Length)
{
    private const int Length = 3 + TransactionalKey.BodyLength;

    public override bool TryMatch(ReadOnlySpan<char> text, int anchorAt, out int start, out int length)
    {
        (start, length) = (anchorAt, Length);
        return anchorAt + Length <= text.Length && !text.Slice(anchorAt + 3, TransactionalKey.BodyLength).ContainsAnyExcept(TransactionalKey.KeyChars);
    }

    public override Range Body(int length) => TransactionalKey.MdPrefix.Length..;
}
