using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace Keywarden.Core.Keys;

/// <summary>
/// A Mailchimp Transactional (Mandrill) API key: 22 characters of <c>[A-Za-z0-9_-]</c>,
/// newer ones prefixed <c>md-</c>.
/// </summary>
public sealed class TransactionalKey : UpstreamKey
{
    /// <summary>Length of the random body of a key, without the optional <c>md-</c> prefix.</summary>
    public const int BodyLength = 22;

    /// <summary>The prefix newer keys carry.</summary>
    public const string MdPrefix = "md-";

    private TransactionalKey(string value)
        : base(value)
    {
    }

    /// <inheritdoc />
    public override UpstreamKind Kind => UpstreamKind.Transactional;

    /// <inheritdoc />
    public override Uri DefaultBaseAddress => ApiBaseAddress;

    /// <summary>True for a key of the newer <c>md-</c> form.</summary>
    public bool IsPrefixed => Value.StartsWith(MdPrefix, StringComparison.Ordinal);

    /// <summary>The API base address of Mailchimp Transactional.</summary>
    public static Uri ApiBaseAddress { get; } = new("https://mandrillapp.com/");

    /// <summary>The settings page where a person creates and deletes Transactional keys.</summary>
    public static Uri AdminKeysPage { get; } = new("https://mandrillapp.com/settings");

    /// <summary>Parses a Transactional key, trimming surrounding white space.</summary>
    /// <exception cref="FormatException">Not a Transactional key; the message never contains the input.</exception>
    public static TransactionalKey Parse(string text) =>
        TryParse(text, out var key)
            ? key
            : throw new FormatException(
                "not a Mailchimp Transactional API key: expected 22 characters of A-Z, a-z, 0-9, '_' or '-', optionally prefixed 'md-'");

    /// <summary>Tries to parse a Transactional key, trimming surrounding white space.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out TransactionalKey? key)
    {
        key = null;
        if (text is null)
        {
            return false;
        }

        var span = text.AsSpan().Trim();
        if (!IsValid(span))
        {
            return false;
        }

        key = new TransactionalKey(span.ToString());
        return true;
    }

    /// <summary>Checks the shape of a Transactional key without allocating.</summary>
    public static bool IsValid(ReadOnlySpan<char> key)
    {
        var body = key.StartsWith(MdPrefix, StringComparison.Ordinal) ? key[MdPrefix.Length..] : key;
        if (body.Length != BodyLength)
        {
            return false;
        }

        return !body.ContainsAnyExcept(KeyChars);
    }

    /// <summary>The characters that may appear in a key body: <c>[A-Za-z0-9_-]</c>.</summary>
    public static SearchValues<char> KeyChars { get; } =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");

    /// <summary>True for a character that may appear in a key body: <c>[A-Za-z0-9_-]</c>.</summary>
    public static bool IsKeyChar(char c) => KeyChars.Contains(c);
}
