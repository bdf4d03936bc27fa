using System.Buffers.Text;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace Keywarden.Mailchimp.Gateway;

/// <summary>Reads the token from a Marketing request: HTTP Basic (any user name, token as password) or Bearer.</summary>
internal static class MarketingCredential
{
    public enum Outcome
    {
        Found,
        Missing,
        Ambiguous,
        Malformed,
    }

    public static Outcome TryRead(StringValues authorization, out string token)
    {
        token = "";
        if (authorization.Count == 0)
        {
            return Outcome.Missing;
        }

        if (authorization.Count > 1)
        {
            return Outcome.Ambiguous;
        }

        var value = (authorization[0] ?? "").AsSpan().Trim();
        var space = value.IndexOf(' ');
        if (space <= 0)
        {
            return Outcome.Malformed;
        }

        var scheme = value[..space];
        var parameter = value[(space + 1)..].Trim();
        if (parameter.Contains(',') || parameter.Contains(' '))
        {
            return Outcome.Ambiguous; // "Basic x, Bearer y" in one header
        }

        if (scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            token = parameter.ToString();
            return Outcome.Found;
        }

        if (!scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return Outcome.Malformed;
        }

        Span<byte> decoded = stackalloc byte[Base64.GetMaxDecodedFromUtf8Length(parameter.Length)];
        Span<byte> utf8 = stackalloc byte[parameter.Length];
        if (Encoding.ASCII.GetBytes(parameter, utf8) != parameter.Length
            || Base64.DecodeFromUtf8(utf8, decoded, out _, out var written) != System.Buffers.OperationStatus.Done)
        {
            return Outcome.Malformed;
        }

        var pair = decoded[..written];
        var colon = pair.IndexOf((byte)':');
        if (colon < 0)
        {
            return Outcome.Malformed;
        }

        token = Encoding.UTF8.GetString(pair[(colon + 1)..]);
        return Outcome.Found;
    }
}
