namespace Keywarden.Bench.AuditHistory;

/// <summary>A labelled episode: who (a token, or an address for guessing), when, and which detectors fit it.</summary>
internal sealed record Episode(int Id, EpisodeKind Kind, string? TokenId, string? Client, long Start, long End, string[] Detectors)
{
    /// <summary>The token whose app it concerns (null for guessing and decoys).</summary>
    public TokenProfile? Token { get; init; }

    /// <summary>Attack-specific: the attacker's address (scrape, spam from elsewhere), the variant, the rate.</summary>
    public string? AttackerClient { get; init; }

    public int Variant { get; init; }

    public double Rate { get; init; }
}
