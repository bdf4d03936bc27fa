namespace Keywarden.Sandbox.Marketing;

/// <summary>
/// One Marketing endpoint: a method and a path template such as lists/{list_id}/members.
/// Handlers run under the account's lock unless <see cref="ManagesLock"/> (batches, which run other routes).
/// </summary>
internal sealed record MarketingRoute(string Method, string Template, Func<MarketingRequest, MarketingResult> Handler, bool ManagesLock = false)
{
    public string[] Segments { get; } = Template.Length == 0 ? [] : Template.Split('/');

    public bool TryMatch(IReadOnlyList<string> segments, Dictionary<string, string> values)
    {
        if (segments.Count != Segments.Length)
        {
            return false;
        }

        for (var i = 0; i < Segments.Length; i++)
        {
            var template = Segments[i];
            if (template.StartsWith('{'))
            {
                if (segments[i].Length == 0)
                {
                    return false;
                }

                values[template[1..^1]] = segments[i];
            }
            else if (!string.Equals(template, segments[i], StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }
}
