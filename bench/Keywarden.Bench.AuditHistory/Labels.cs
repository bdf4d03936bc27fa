using System.Text.Json;
using System.Text.Json.Serialization;

namespace Keywarden.Bench.AuditHistory;

/// <summary>The labels file: the spec, the token-weeks of normal traffic, and every episode.</summary>
internal sealed record Labels(int Tokens, int Weeks, int Seed, double TokenWeeks, long Records, IReadOnlyList<LabelledEpisode> Episodes)
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static Labels Of(HistoryGenerator generator, long records) => new(
        generator.Spec.Tokens, generator.Spec.Weeks, generator.Spec.Seed, generator.TokenWeeks, records,
        generator.Episodes.Select(e => new LabelledEpisode(
            e.Id, e.Kind, e.TokenId, e.Client, DateTimeOffset.FromUnixTimeMilliseconds(e.Start), DateTimeOffset.FromUnixTimeMilliseconds(e.End), e.Detectors)).ToList());

    public string ToJson() => JsonSerializer.Serialize(this, Options);

    public static Labels Parse(string json) => JsonSerializer.Deserialize<Labels>(json, Options) ?? throw new InvalidDataException("empty labels file");
}
