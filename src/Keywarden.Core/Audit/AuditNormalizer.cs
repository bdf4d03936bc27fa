using System.Text;
using System.Text.RegularExpressions;

namespace Keywarden.Core.Audit;

/// <summary>
/// Brings an entry to the form that is hashed and stored: millisecond UTC time, valid Unicode,
/// and no text shaped like a secret. Redaction is a last line of defence: a secret that reached
/// the chain could not be removed again without breaking it.
/// </summary>
internal static partial class AuditNormalizer
{
    /// <summary>What a secret-shaped substring becomes.</summary>
    public const string Redacted = "[redacted]";

    public static AuditEntry Normalize(AuditEntry entry) => entry with
    {
        Time = DateTimeOffset.FromUnixTimeMilliseconds(entry.Time.ToUnixTimeMilliseconds()),
        TokenId = Text(entry.TokenId),
        UpstreamId = Text(entry.UpstreamId),
        KeyId = Text(entry.KeyId),
        ClientAddress = Text(entry.ClientAddress),
        Method = Text(entry.Method)!,
        Path = Text(entry.Path)!,
        Rule = Text(entry.Rule)!,
        LatencyMs = entry.LatencyMs + 0.0,
        Actor = Text(entry.Actor),
        Detail = Text(entry.Detail),
    };

    private static string? Text(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0)
        {
            // What UTF-8 storage would do anyway; done here so the hash covers what is stored.
            text = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text));
        }

        return SecretShape().Replace(text, Redacted);
    }

    // Gateway tokens (checksum or not), Marketing keys, and md- Transactional keys (the scanner's shapes).
    [GeneratedRegex("kw_[0-9A-Za-z]{36}|[0-9a-f]{32}-us[0-9]{1,2}|md-[A-Za-z0-9_-]{22}", RegexOptions.CultureInvariant)]
    private static partial Regex SecretShape();
}
