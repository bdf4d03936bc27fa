using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Keywarden.Gateway.Pipeline;

/// <summary>
/// What a browser may read of an answer. The gateway alone decides: a page may read an answer only when the request's
/// token allows its origin, whether the answer is the upstream's or the gateway's own (a refusal the page should be
/// able to show); whatever CORS headers the upstream sends are replaced, or removed for anyone else.
/// </summary>
internal static class CorsHeaders
{
    /// <summary>Lets <paramref name="origin"/> (allowed by the token's policy) read this answer, and only it.</summary>
    public static void Allow(IHeaderDictionary headers, string origin)
    {
        headers.AccessControlAllowOrigin = origin;
        headers.AccessControlAllowCredentials = default; // the token is the credential, not the browser's cookies
        var vary = headers.Vary;
        if (!VariesByOrigin(vary))
        {
            // The answer depends on the Origin sent: a cache must not hand it to another origin.
            headers.Vary = vary.Count == 0 ? "Origin" : StringValues.Concat(vary, "Origin");
        }
    }

    /// <summary>Removes any CORS permission the upstream gave: no origin allowed by the token, no browser may read it.</summary>
    /// <remarks>Two lookups in Kestrel's known-header table on the common path: nothing to remove, nothing allocated.</remarks>
    public static void Deny(IHeaderDictionary headers)
    {
        if (headers.AccessControlAllowOrigin.Count > 0 || headers.AccessControlAllowCredentials.Count > 0)
        {
            headers.Remove("Access-Control-Allow-Origin");
            headers.Remove("Access-Control-Allow-Credentials");
        }
    }

    private static bool VariesByOrigin(StringValues vary)
    {
        foreach (var value in vary)
        {
            foreach (var name in (value ?? "").Split(',', StringSplitOptions.TrimEntries))
            {
                if (name.Equals("Origin", StringComparison.OrdinalIgnoreCase) || name == "*")
                {
                    return true;
                }
            }
        }

        return false;
    }
}
