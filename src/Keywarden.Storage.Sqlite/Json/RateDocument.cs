namespace Keywarden.Storage.Sqlite.Json;

/// <summary>
/// The stored form of a rate limit. Not the <c>600/min</c> text: that form only names whole
/// seconds, minutes, hours and days, and any window must read back exactly.
/// </summary>
internal sealed class RateDocument
{
    public int Requests { get; init; }

    public long WindowMs { get; init; }
}
