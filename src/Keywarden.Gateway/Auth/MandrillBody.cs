using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace Keywarden.Gateway.Auth;

/// <summary>
/// A buffered Transactional request body (JSON or form-encoded) with its <c>key</c> field, and
/// the rewrite that puts the real key in place of the token. A body with two <c>key</c> fields,
/// or that is neither valid JSON object nor form, is refused rather than guessed.
/// </summary>
internal sealed class MandrillBody : IDisposable
{
    private readonly JsonDocument? _json;
    private readonly Dictionary<string, StringValues>? _form;
    private readonly List<KeyValuePair<string, string>>? _formPairs;

    private MandrillBody(JsonDocument json, string? key)
    {
        _json = json;
        Key = key;
    }

    private MandrillBody(Dictionary<string, StringValues> form, List<KeyValuePair<string, string>> pairs, string? key)
    {
        _form = form;
        _formPairs = pairs;
        Key = key;
    }

    public enum Outcome
    {
        Ok,
        Malformed,
        DuplicateKey,
    }

    /// <summary>The presented key (a token, if the caller is well-behaved), or null.</summary>
    public string? Key { get; }

    /// <summary>The JSON root for the send inspector, or null for a form body.</summary>
    public JsonElement? Json => _json?.RootElement;

    public static Outcome TryParse(ReadOnlyMemory<byte> body, string? contentType, out MandrillBody? parsed)
    {
        parsed = null;
        if (contentType is not null && contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return TryParseForm(body.Span, out parsed);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            return Outcome.Malformed;
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            return Outcome.Malformed;
        }

        string? key = null;
        var count = 0;
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (property.NameEquals("key"))
            {
                count++;
                key = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
            }
        }

        if (count > 1)
        {
            document.Dispose();
            return Outcome.DuplicateKey;
        }

        parsed = new MandrillBody(document, key);
        return Outcome.Ok;
    }

    /// <summary>The body to forward: identical but for <c>key</c>, which carries the real key.</summary>
    public byte[] RewriteWithKey(string realKey)
    {
        var buffer = new ArrayBufferWriter<byte>();
        if (_json is not null)
        {
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

        var builder = new StringBuilder("key=").Append(Uri.EscapeDataString(realKey));
        foreach (var (name, value) in _formPairs!)
        {
            if (name != "key")
            {
                builder.Append('&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
            }
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    public void Dispose() => _json?.Dispose();

    private static Outcome TryParseForm(ReadOnlySpan<byte> body, out MandrillBody? parsed)
    {
        parsed = null;
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return Outcome.Malformed;
        }

        var pairs = new List<KeyValuePair<string, string>>();
        var reader = new QueryStringEnumerable(text);
        foreach (var pair in reader)
        {
            pairs.Add(new(pair.DecodeName().ToString(), pair.DecodeValue().ToString()));
        }

        var form = QueryHelpers.ParseQuery(text);
        if (form.TryGetValue("key", out var keys) && keys.Count > 1)
        {
            return Outcome.DuplicateKey;
        }

        parsed = new MandrillBody(form, pairs, keys.Count == 1 ? keys[0] : null);
        return Outcome.Ok;
    }
}
