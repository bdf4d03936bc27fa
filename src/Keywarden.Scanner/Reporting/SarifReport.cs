namespace Keywarden.Scanner.Reporting;

/// <summary>SARIF 2.1.0, the shape code-scanning UIs import: one run, the three rules, one result per finding.</summary>
internal static class SarifReport
{
    public const string Schema = "https://json.schemastore.org/sarif-2.1.0.json";
    public const string FingerprintKey = "keywarden/v1";
    private const string HelpUri = "https://github.com/keywarden/keywarden/blob/main/src/Keywarden.Scanner/README.md";

    public static string Render(ScanResult result, bool redact) => ScanReportWriter.ToJson(json =>
    {
        json.WriteStartObject();
        json.WriteString("$schema", Schema);
        json.WriteString("version", "2.1.0");
        json.WriteStartArray("runs");
        json.WriteStartObject();

        json.WriteStartObject("tool");
        json.WriteStartObject("driver");
        json.WriteString("name", "keywarden");
        json.WriteString("informationUri", HelpUri);
        json.WriteStartArray("rules");
        foreach (var (id, description) in ScanRules.All)
        {
            json.WriteStartObject();
            json.WriteString("id", id);
            json.WriteStartObject("shortDescription");
            json.WriteString("text", description);
            json.WriteEndObject();
            json.WriteString("helpUri", HelpUri);
            json.WriteStartObject("defaultConfiguration");
            json.WriteString("level", "error");
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();

        json.WriteStartArray("results");
        foreach (var f in result.Findings)
        {
            json.WriteStartObject();
            json.WriteString("ruleId", f.RuleId);
            json.WriteString("level", "error");
            json.WriteStartObject("message");
            json.WriteString("text", $"{ScanRules.Describe(f.RuleId)} {f.Display(redact)}: revoke it and replace it with a Keywarden token");
            json.WriteEndObject();
            json.WriteStartArray("locations");
            json.WriteStartObject();
            json.WriteStartObject("physicalLocation");
            json.WriteStartObject("artifactLocation");
            json.WriteString("uri", f.Path);
            json.WriteEndObject();
            json.WriteStartObject("region");
            json.WriteNumber("startLine", f.Line);
            json.WriteNumber("startColumn", f.Column);
            json.WriteNumber("endColumn", f.Column + f.Secret.Length);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteStartObject("partialFingerprints");
            json.WriteString(FingerprintKey, f.Fingerprint);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    });
}
