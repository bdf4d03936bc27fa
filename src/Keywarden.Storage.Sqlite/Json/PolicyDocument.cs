namespace Keywarden.Storage.Sqlite.Json;

/// <summary>
/// The stored JSON form of a <see cref="Core.Policy.TokenPolicy"/>. A separate type, so that
/// renaming a property of the Core record cannot silently change the format of stored rows.
/// </summary>
internal sealed class PolicyDocument
{
    public bool ReadOnly { get; init; }

    public IReadOnlyList<string>? Paths { get; init; }

    public IReadOnlyList<string>? Methods { get; init; }

    public IReadOnlyList<string>? Cidrs { get; init; }

    public IReadOnlyList<string>? Origins { get; init; }

    /// <summary>ISO-8601 UTC at millisecond precision (see <see cref="StoredTime"/>).</summary>
    public string? NotBefore { get; init; }

    /// <summary>ISO-8601 UTC at millisecond precision (see <see cref="StoredTime"/>).</summary>
    public string? ExpiresAt { get; init; }

    public RateDocument? Rate { get; init; }

    public IReadOnlyList<string>? FromDomains { get; init; }

    public int? MaxRecipients { get; init; }

    public int? DailyQuota { get; init; }

    /// <summary>
    /// Not policy but the token's lineage (<see cref="TokenRecord.SupersededBy"/>): kept in this document
    /// so that token rotation needed no schema change. Older readers ignore it.
    /// </summary>
    public string? SupersededBy { get; init; }
}
