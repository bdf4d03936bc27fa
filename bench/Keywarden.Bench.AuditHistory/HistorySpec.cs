namespace Keywarden.Bench.AuditHistory;

/// <summary>What to generate: how many tokens over how many weeks, from which seed and start (a Monday, UTC).</summary>
internal sealed record HistorySpec(int Tokens = 50, int Weeks = 6, int Seed = 1)
{
    public DateTimeOffset Start { get; init; } = new(2026, 2, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Episodes of each kind; default one per 16 tokens, at least 2.</summary>
    public int EpisodesPerKind { get; init; } = -1;

    public int PerKind => EpisodesPerKind > 0 ? EpisodesPerKind : Math.Max(2, Tokens / 16);
}
