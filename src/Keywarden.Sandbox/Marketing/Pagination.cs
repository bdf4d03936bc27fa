using System.Globalization;

namespace Keywarden.Sandbox.Marketing;

/// <summary>count (default 10, at most 1000) and offset (default 0) of a collection request.</summary>
internal readonly record struct Pagination(int Count, int Offset)
{
    public const int DefaultCount = 10;
    public const int MaxCount = 1000;

    public static bool TryParse(IReadOnlyDictionary<string, string> query, out Pagination pagination, out MarketingResult? error)
    {
        pagination = default;
        error = null;
        var count = DefaultCount;
        var offset = 0;
        if (query.TryGetValue("count", out var countText) && countText.Length > 0
            && (!int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out count)))
        {
            error = Problems.InvalidResource("count", "Schema describes integer, string found instead");
            return false;
        }

        if (query.TryGetValue("offset", out var offsetText) && offsetText.Length > 0
            && (!int.TryParse(offsetText, NumberStyles.None, CultureInfo.InvariantCulture, out offset)))
        {
            error = Problems.InvalidResource("offset", "Schema describes integer, string found instead");
            return false;
        }

        pagination = new Pagination(Math.Clamp(count, 0, MaxCount), offset);
        return true;
    }

    public IEnumerable<T> Apply<T>(IEnumerable<T> items) => items.Skip(Offset).Take(Count);
}
