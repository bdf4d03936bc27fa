using System.Security.Cryptography;
using System.Text;

namespace Keywarden.Core.Keys;

/// <summary>
/// A real provider API key held in memory. Its <see cref="ToString"/> never shows the secret:
/// only the first four characters, as Mailchimp's own API keys page does.
/// </summary>
public abstract class UpstreamKey
{
    private protected UpstreamKey(string value) => Value = value;

    /// <summary>The API this key belongs to.</summary>
    public abstract UpstreamKind Kind { get; }

    /// <summary>Where this key's API answers when no other base URL is configured (the real service).</summary>
    public abstract Uri DefaultBaseAddress { get; }

    /// <summary>The secret itself. Handle with care: never log, print or put it in an exception.</summary>
    public string Value { get; }

    /// <summary>The first four characters: all that may ever be shown of a stored key.</summary>
    public string Prefix => Value[..4];

    /// <summary>Lower-case hex SHA-256 of the key, used to recognise the key (scanner, duplicates) without holding it.</summary>
    public string Fingerprint => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Value)));

    /// <summary>Parses a key of the given kind.</summary>
    /// <exception cref="FormatException">The text is not a key of that kind. The message never contains the text.</exception>
    public static UpstreamKey Parse(UpstreamKind kind, string text) => kind switch
    {
        UpstreamKind.Marketing => MarketingKey.Parse(text),
        UpstreamKind.Transactional => TransactionalKey.Parse(text),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown upstream kind"),
    };

    /// <summary>The redacted form: the first four characters and the length.</summary>
    public override string ToString() => KeyDisplay.Redact(Value);
}
