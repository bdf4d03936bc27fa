using Keywarden.Core.Tokens;
using Keywarden.Gateway.Forwarding;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Keywarden.Gateway.Pipeline;

/// <summary>
/// Where a gateway token must not be: anywhere but the credential. In the path or query it is forwarded to Mailchimp
/// and lands in logs; in another header or the body it is a second credential, which is ambiguous.
/// </summary>
public static class TokenLeaks
{
    /// <summary>The request-target as the client sent it.</summary>
    public static string RawTarget(HttpContext context) =>
        context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.ToUriComponent() + context.Request.QueryString;

    /// <summary>True when the request carries its token, or any other gateway token, outside the credential (target or another header).</summary>
    public static bool OutsideAuthorization(HttpContext context, GatewayToken token)
    {
        var secret = token.Value.AsSpan(GatewayToken.Prefix.Length, GatewayToken.RandomLength);
        var target = RawTarget(context);
        var unescaped = Uri.UnescapeDataString(target);
        if (target.AsSpan().Contains(secret, StringComparison.Ordinal) || unescaped.AsSpan().Contains(secret, StringComparison.Ordinal)
            || HoldsAnyToken(unescaped))
        {
            return true;
        }

        foreach (var (name, values) in context.Request.Headers)
        {
            if (name.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var value in values)
            {
                if (value is not null && (value.AsSpan().Contains(secret, StringComparison.Ordinal) || HoldsAnyToken(value)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The first well-formed gateway token in the request-target (percent-decoded), or null.</summary>
    public static string? InTarget(HttpContext context)
    {
        var text = Uri.UnescapeDataString(RawTarget(context));
        var at = IndexOfAnyToken(text);
        return at < 0 ? null : text.Substring(at, GatewayToken.Length);
    }

    /// <summary>True when a body about to be forwarded holds the caller's token, or any other.</summary>
    public static bool InBody(ReadOnlySpan<byte> body, GatewayToken token)
    {
        Span<byte> secret = stackalloc byte[GatewayToken.RandomLength];
        TokenBytes.WriteSecret(token, secret);
        return TokenBytes.AppearIn(body, secret);
    }

    /// <summary>True when <paramref name="text"/> holds a well-formed gateway token (checksum included) anywhere.</summary>
    private static bool HoldsAnyToken(ReadOnlySpan<char> text) => IndexOfAnyToken(text) >= 0;

    /// <summary>Where the first well-formed gateway token (checksum included) in <paramref name="text"/> starts, or -1.</summary>
    private static int IndexOfAnyToken(ReadOnlySpan<char> text)
    {
        var offset = 0;
        int at;
        while ((at = text[offset..].IndexOf(GatewayToken.Prefix, StringComparison.Ordinal)) >= 0)
        {
            offset += at;
            if (text.Length - offset >= GatewayToken.Length && GatewayToken.IsValid(text.Slice(offset, GatewayToken.Length)))
            {
                return offset;
            }

            offset += GatewayToken.Prefix.Length;
        }

        return -1;
    }
}
