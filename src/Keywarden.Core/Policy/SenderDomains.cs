using System.Buffers;
using System.Collections.Frozen;

namespace Keywarden.Core.Policy;

/// <summary>
/// Checks sender values against allowed domains, conservatively: every <c>@domain</c> that appears anywhere in the
/// value must be allowed (exact domain, case-insensitive, subdomains not included), and at least one must appear.
/// A display name or comment that holds an address therefore counts too, which can refuse an honest but odd
/// <c>From</c>; it cannot let a foreign address through.
/// </summary>
internal static class SenderDomains
{
    private static readonly SearchValues<char> DomainEnd = SearchValues.Create(" \t\r\n<>,;:()\"[]@\\");

    /// <summary>Null when every domain in <paramref name="value"/> is allowed; otherwise the first domain that is not ("" when there is none).</summary>
    public static string? FirstDisallowed(string value, FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> allowed)
    {
        var text = value.AsSpan();
        var found = false;
        int at;
        while ((at = text.IndexOf('@')) >= 0)
        {
            text = text[(at + 1)..];
            var end = text.IndexOfAny(DomainEnd);
            var domain = end < 0 ? text : text[..end];
            if (domain.IsEmpty || !allowed.Contains(domain))
            {
                return domain.ToString();
            }

            found = true;
        }

        return found ? null : "";
    }
}
