namespace Keywarden.Bench.AuditHistory;

/// <summary>An episode as the labels file holds it.</summary>
internal sealed record LabelledEpisode(int Id, EpisodeKind Kind, string? TokenId, string? Client, DateTimeOffset Start, DateTimeOffset End, string[] Detectors);
