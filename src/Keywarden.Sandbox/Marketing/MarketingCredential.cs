using System.Buffers.Text;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Keywarden.Sandbox.Marketing;

/// <summary>
/// The key a Marketing request presents: HTTP Basic (any username, the key as password), Bearer, or the legacy
/// "apikey KEY" form some libraries still send.
/// </summary>
internal readonly record struct MarketingCredential(string? Scheme, string? Key)
{
    public bool IsMissing => Key is null;

    public static MarketingCredential Read(HttpRequest request)
    {
        var values = request.Headers[HeaderNames.Authorization];
        if (values.Count == 0)
        {
            return default;
        }

        if (values.Count > 1)
        {
            // Two Authorization headers are ambiguous: refused, never guessed.
            return new MarketingCredential("ambiguous", "");
        }

        var header = values[0]!.Trim();
        var space = header.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return default;
        }

        var scheme = header[..space].ToLowerInvariant();
        var value = header[(space + 1)..].Trim();
        switch (scheme)
        {
            case "basic":
                var decoded = DecodeBase64(value);
                var colon = decoded?.IndexOf(':', StringComparison.Ordinal) ?? -1;
                if (decoded is null || colon < 0)
                {
                    return new MarketingCredential("basic", "");
                }

                var password = decoded[(colon + 1)..];
                return password.Length == 0 ? new MarketingCredential("basic", null) : new MarketingCredential("basic", password);
            case "bearer":
            case "apikey":
                return value.Length == 0 ? new MarketingCredential(scheme, null) : new MarketingCredential(scheme, value);
            default:
                return default;
        }
    }

    private static string? DecodeBase64(string value)
    {
        if (!Base64.IsValid(value))
        {
            return null;
        }

        var bytes = Convert.FromBase64String(value);
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
