using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;

namespace Keywarden.Mailchimp.Gateway;

/// <summary>
/// A buffered Transactional request body as the one JSON object the gateway judges and forwards, with its <c>key</c>
/// field, and the rewrite that puts the real key in place of the token. A form body is re-encoded as that object
/// first, so the gateway and Mandrill never read different fields from the same bytes. A body with two <c>key</c>
/// fields, a field given twice, or that is neither a JSON object nor a form with one reading, is refused rather than
/// guessed.
/// </summary>
internal sealed class MandrillBody : IDisposable
{
    // Top-level names are compared pairwise (no set to allocate): Mandrill calls take a handful of fields. A body with
    // more pays for a set instead of a quadratic walk.
    private const int PairwiseNameLimit = 32;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    private readonly JsonDocument _json;

    private MandrillBody(JsonDocument json, string? key)
    {
        _json = json;
        Key = key;
    }

    public enum Outcome
    {
        Ok,

        /// <summary>Neither a JSON object nor a form.</summary>
        Malformed,

        /// <summary>Two <c>key</c> fields: two credentials.</summary>
        DuplicateKey,

        /// <summary>Another field given twice: readers differ on which one counts.</summary>
        DuplicateField,

        /// <summary>A form whose names only PHP-style parsers read (brackets, names they rewrite), or that is not UTF-8.</summary>
        FormNotReencodable,
    }

    /// <summary>The presented key (a token, if the caller is well-behaved), or null.</summary>
    public string? Key { get; }

    /// <summary>The JSON object judged (a form body already re-encoded), for the send inspector.</summary>
    public JsonElement Json => _json.RootElement;

    /// <param name="body">The body as received. A JSON body is parsed in place: it must outlive the parsed result.</param>
    /// <param name="contentType">The request's Content-Type: a form is re-encoded, anything else is read as JSON.</param>
    /// <param name="parsed">The body, when the outcome is <see cref="Outcome.Ok"/>; the caller disposes it.</param>
    public static Outcome TryParse(ReadOnlyMemory<byte> body, string? contentType, out MandrillBody? parsed)
    {
        parsed = null;
        if (contentType is not null && contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            var reencoded = FormAsJson.TryEncode(body.Span, out var json);
            if (reencoded != Outcome.Ok)
            {
                return reencoded;
            }

            body = json;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException)
        {
            return Outcome.Malformed;
        }

        string? key = null;
        var outcome = document.RootElement.ValueKind == JsonValueKind.Object ? ReadFields(document.RootElement, out key) : Outcome.Malformed;
        if (outcome != Outcome.Ok)
        {
            document.Dispose();
            return outcome;
        }

        parsed = new MandrillBody(document, key);
        return Outcome.Ok;
    }

    /// <summary>The body to forward: the judged object, as JSON, with one <c>key</c>: the real one.</summary>
    public byte[] RewriteWithKey(string realKey)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using var writer = new Utf8JsonWriter(buffer);
        writer.WriteStartObject();
        writer.WriteString("key", realKey);
        foreach (var property in _json.RootElement.EnumerateObject())
        {
            if (!property.NameEquals("key"))
            {
                property.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    public void Dispose() => _json.Dispose();

    /// <summary>The presented key; not <see cref="Outcome.Ok"/> when a top-level name (the key's included) is given twice.</summary>
    private static Outcome ReadFields(JsonElement root, out string? key)
    {
        key = null;
        var keys = 0;
        var count = 0;
        foreach (var property in root.EnumerateObject())
        {
            count++;
            if (property.NameEquals("key"))
            {
                keys++;
                key = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
            }
        }

        if (keys > 1)
        {
            key = null;
            return Outcome.DuplicateKey;
        }

        return HasDuplicateName(root, count) ? Outcome.DuplicateField : Outcome.Ok;
    }

    private static bool HasDuplicateName(JsonElement root, int count)
    {
        if (count > PairwiseNameLimit)
        {
            var names = new HashSet<string>(count, StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!names.Add(property.Name))
                {
                    return true;
                }
            }

            return false;
        }

        var i = 0;
        foreach (var first in root.EnumerateObject())
        {
            var j = 0;
            foreach (var second in root.EnumerateObject())
            {
                if (j++ > i && SameName(first, second))
                {
                    return true;
                }
            }

            i++;
        }

        return false;
    }

    /// <summary>Compares the names as written; only an escaped name (<c>"\u0069d"</c>) is decoded to compare.</summary>
    private static bool SameName(JsonProperty first, JsonProperty second)
    {
        var a = JsonMarshal.GetRawUtf8PropertyName(first);
        var b = JsonMarshal.GetRawUtf8PropertyName(second);
        return a.IndexOf((byte)'\\') < 0 && b.IndexOf((byte)'\\') < 0 ? a.SequenceEqual(b) : first.NameEquals(second.Name);
    }

    /// <summary>
    /// A form body as the JSON object of its fields (each value a string), in their order. Only a form with one
    /// reading is re-encoded: each name an identifier of <c>[A-Za-z0-9_]</c> given once, every escape valid, the
    /// decoded text UTF-8. PHP-style parsers (Mandrill's was PHP) build nested objects from <c>message[to][0][email]</c>,
    /// keep the last of a repeated name and rewrite <c>.</c> and spaces in names; mirroring that is guessing, so such
    /// forms are refused and the client is told to send JSON.
    /// </summary>
    private static class FormAsJson
    {
        public static Outcome TryEncode(ReadOnlySpan<byte> form, out byte[] json)
        {
            json = [];
            if (!Utf8.IsValid(form))
            {
                return Outcome.FormNotReencodable;
            }

            // Decoding never lengthens text: a buffer of the form's length holds any decoded value, another every decoded
            // name back to back (to tell a name given twice, however it was escaped).
            var value = ArrayPool<byte>.Shared.Rent(Math.Max(form.Length, 1));
            var seen = ArrayPool<byte>.Shared.Rent(Math.Max(form.Length, 1));
            var names = new List<(int Start, int Length)>();
            try
            {
                var buffer = new ArrayBufferWriter<byte>(form.Length + 16);
                using (var writer = new Utf8JsonWriter(buffer))
                {
                    writer.WriteStartObject();
                    var seenLength = 0;
                    var rest = form;
                    while (!rest.IsEmpty)
                    {
                        var amp = rest.IndexOf((byte)'&');
                        var pair = amp < 0 ? rest : rest[..amp];
                        rest = amp < 0 ? [] : rest[(amp + 1)..];
                        if (pair.IsEmpty)
                        {
                            continue; // "a=1&&b=2", a trailing '&': every reader skips it
                        }

                        var equals = pair.IndexOf((byte)'=');
                        var rawName = equals < 0 ? pair : pair[..equals];
                        var rawValue = equals < 0 ? [] : pair[(equals + 1)..];
                        if (!TryDecode(rawName, seen.AsSpan(seenLength), out var nameLength) || !IsIdentifier(seen.AsSpan(seenLength, nameLength)))
                        {
                            return Outcome.FormNotReencodable;
                        }

                        var name = seen.AsSpan(seenLength, nameLength);
                        foreach (var (start, length) in names)
                        {
                            if (seen.AsSpan(start, length).SequenceEqual(name))
                            {
                                return name.SequenceEqual("key"u8) ? Outcome.DuplicateKey : Outcome.DuplicateField;
                            }
                        }

                        names.Add((seenLength, nameLength));
                        seenLength += nameLength;
                        if (!TryDecode(rawValue, value, out var valueLength) || !Utf8.IsValid(value.AsSpan(0, valueLength)))
                        {
                            return Outcome.FormNotReencodable;
                        }

                        writer.WritePropertyName(name);
                        writer.WriteStringValue(value.AsSpan(0, valueLength));
                    }

                    writer.WriteEndObject();
                }

                json = buffer.WrittenSpan.ToArray();
                return Outcome.Ok;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(value);
                ArrayPool<byte>.Shared.Return(seen);
            }
        }

        /// <summary>Percent-decodes (and '+' as a space) into <paramref name="destination"/>; false on a '%' without two hex digits.</summary>
        private static bool TryDecode(ReadOnlySpan<byte> raw, Span<byte> destination, out int length)
        {
            length = 0;
            for (var i = 0; i < raw.Length; i++)
            {
                var b = raw[i];
                if (b == '%')
                {
                    if (i + 2 >= raw.Length || !char.IsAsciiHexDigit((char)raw[i + 1]) || !char.IsAsciiHexDigit((char)raw[i + 2]))
                    {
                        return false;
                    }

                    destination[length++] = (byte)((HexValue(raw[i + 1]) << 4) | HexValue(raw[i + 2]));
                    i += 2;
                }
                else
                {
                    destination[length++] = b == '+' ? (byte)' ' : b;
                }
            }

            return true;
        }

        private static int HexValue(byte c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

        private static bool IsIdentifier(ReadOnlySpan<byte> name)
        {
            if (name.IsEmpty)
            {
                return false;
            }

            foreach (var b in name)
            {
                if (!char.IsAsciiLetterOrDigit((char)b) && b != '_')
                {
                    return false;
                }
            }

            return true;
        }
    }
}
