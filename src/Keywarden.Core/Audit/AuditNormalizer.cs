using System.Text;
using System.Text.RegularExpressions;

namespace Keywarden.Core.Audit;

/// <summary>
/// Brings an entry to the form that is hashed and stored: millisecond UTC time, valid Unicode,
/// no text shaped like a secret, and the user agent and from-domain no longer than their limits. Redaction is a last line of defence: a secret that reached
/// the chain could not be removed again without breaking it.
/// </summary>
internal static partial class AuditNormalizer
{
    /// <summary>What a secret-shaped substring becomes.</summary>
    public const string Redacted = "[redacted]";

    /// <summary>The entry as it is hashed and stored; the same instance when it already is (the usual case).</summary>
    public static AuditEntry Normalize(AuditEntry entry)
    {
        var time = DateTimeOffset.FromUnixTimeMilliseconds(entry.Time.ToUnixTimeMilliseconds());
        var tokenId = Text(entry.TokenId);
        var upstreamId = Text(entry.UpstreamId);
        var keyId = Text(entry.KeyId);
        var client = Text(entry.ClientAddress);
        var method = Text(entry.Method)!;
        var path = Text(entry.Path)!;
        var rule = Text(entry.Rule)!;
        var latency = entry.LatencyMs + 0.0;
        var actor = Text(entry.Actor);
        var detail = Text(entry.Detail);
        var fromDomain = Cut(Text(entry.FromDomain), AuditEntry.MaxFromDomainLength);
        var userAgent = Cut(Text(entry.UserAgent), AuditEntry.MaxUserAgentLength);
        var unchanged = time.UtcDateTime == entry.Time.UtcDateTime && time.Offset == entry.Time.Offset
            && BitConverter.DoubleToInt64Bits(latency) == BitConverter.DoubleToInt64Bits(entry.LatencyMs)
            && ReferenceEquals(tokenId, entry.TokenId) && ReferenceEquals(upstreamId, entry.UpstreamId) && ReferenceEquals(keyId, entry.KeyId)
            && ReferenceEquals(client, entry.ClientAddress) && ReferenceEquals(method, entry.Method) && ReferenceEquals(path, entry.Path)
            && ReferenceEquals(rule, entry.Rule) && ReferenceEquals(actor, entry.Actor) && ReferenceEquals(detail, entry.Detail)
            && ReferenceEquals(fromDomain, entry.FromDomain) && ReferenceEquals(userAgent, entry.UserAgent);
        return unchanged ? entry : entry with
        {
            Time = time,
            TokenId = tokenId,
            UpstreamId = upstreamId,
            KeyId = keyId,
            ClientAddress = client,
            Method = method,
            Path = path,
            Rule = rule,
            LatencyMs = latency,
            Actor = actor,
            Detail = detail,
            FromDomain = fromDomain,
            UserAgent = userAgent,
        };
    }

    /// <summary>
    /// <paramref name="text"/> cut to at most <paramref name="max"/> UTF-16 code units, one less when the cut would split a
    /// surrogate pair; the same instance when it is short enough. Applied after redaction: a cut first could leave a
    /// secret's prefix that no longer looks like one.
    /// </summary>
    public static string? Cut(string? text, int max)
    {
        if (text is null || text.Length <= max)
        {
            return text;
        }

        return text[..(char.IsHighSurrogate(text[max - 1]) ? max - 1 : max)];
    }

    /// <summary>Valid Unicode with anything shaped like a secret replaced by <see cref="Redacted"/>.</summary>
    public static string? Text(string? text)
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

        // Every shape below contains one of these three literals ("kw" covers kw_, kws_, kwm_ and kwi_): text without any of them cannot match.
        var span = text.AsSpan();
        if (!span.Contains("kw", StringComparison.Ordinal) && !span.Contains("-us", StringComparison.Ordinal)
            && !span.Contains("md-", StringComparison.Ordinal))
        {
            return text;
        }

        return SecretShape().Replace(text, Redacted);
    }

    // Gateway tokens and operator secrets (session, machine, invitation; checksum or not), Marketing keys, and md-
    // Transactional keys (the scanner's shapes).
    [GeneratedRegex("kw[smi]?_[0-9A-Za-z]{36}|[0-9a-f]{32}-us[0-9]{1,2}|md-[A-Za-z0-9_-]{22}", RegexOptions.CultureInvariant)]
    private static partial Regex SecretShape();
}
