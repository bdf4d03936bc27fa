using System.Globalization;
using System.Text.Json;
using Keywarden.Bench.AuditHistory;

// generate --out DIR [--tokens 50] [--weeks 6] [--seed 1] [--per-kind N]→ DIR/audit.jsonl, DIR/labels.json
// score --labels FILE --alerts FILE                          → the scores as markdown on stdout
// memory [--tokens 10000]                                    → the monitor's memory for that many tokens' baselines
var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 1; i + 1 < args.Length; i += 2)
{
    options[args[i].TrimStart('-')] = args[i + 1];
}

int Int(string name, int fallback) => options.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

switch (args.FirstOrDefault())
{
    case "generate":
    {
        var directory = options["out"];
        Directory.CreateDirectory(directory);
        var generator = new HistoryGenerator(new HistorySpec(Int("tokens", 50), Int("weeks", 6), Int("seed", 1)) { EpisodesPerKind = Int("per-kind", -1) });
        using (var file = new BufferedStream(File.Create(Path.Combine(directory, "audit.jsonl")), 1 << 20))
        using (var writer = new ExportWriter(file))
        {
            foreach (var record in generator.Records())
            {
                writer.Write(record);
            }

            File.WriteAllText(Path.Combine(directory, "labels.json"), Labels.Of(generator, writer.Written).ToJson());
            Console.WriteLine($"{writer.Written} records, {generator.Tokens.Count} tokens, {generator.TokenWeeks:0} token-weeks, {generator.Episodes.Count} episodes");
        }

        return 0;
    }

    case "score":
    {
        var labels = Labels.Parse(File.ReadAllText(options["labels"]));
        using var replay = JsonDocument.Parse(File.ReadAllText(options["alerts"]));
        var alerts = replay.RootElement.GetProperty("alerts").EnumerateArray().Select(a => new ReplayedAlert(
            a.GetProperty("detector").GetString()!, a.GetProperty("severity").GetString()!, a.GetProperty("token_id").GetString(),
            a.GetProperty("client").GetString(), a.GetProperty("first_time").GetDateTimeOffset(), a.GetProperty("last_time").GetDateTimeOffset(),
            a.GetProperty("count").GetInt32(), a.GetProperty("why").GetString()!)).ToList();
        Console.Write(Report.Markdown(Scorer.Score(labels.Episodes, alerts, labels.TokenWeeks)));
        return 0;
    }

    case "memory":
    {
        // memory [--tokens 10000]                            → the monitor's baselines for that many tokens, in MiB
        Console.WriteLine(BaselineMemory.Measure(Int("tokens", 10_000)));
        return 0;
    }

    default:
        Console.Error.WriteLine("usage: generate --out DIR [--tokens 50] [--weeks 6] [--seed 1] [--per-kind N] | score --labels FILE --alerts FILE | memory [--tokens 10000]");
        return 2;
}
