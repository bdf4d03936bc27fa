namespace Keywarden.Scanner.Reporting;

/// <summary>SARIF 2.1.0, the shape code-scanning UIs import: one run, the scan's rules, one result per finding.</summary>
internal static class SarifReport
{
    public const string Schema = "https://json.schemastore.org/sarif-2.1.0.json";
    public const string FingerprintKey = "keywarden/v1";
    private const string InformationUri = "https://github.com/keywarden/keywarden/blob/main/src/Keywarden.Scanner/README.md";
    private const string HelpUri = InformationUri + "#rules";

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
        json.WriteString("informationUri", InformationUri);
        json.WriteStartArray("rules");
        foreach (var (id, description) in result.Rules)
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
            json.WriteString("text", Message(result, f, redact));
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
            WriteProperties(json, f);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    });

    private static string Message(ScanResult result, Finding f, bool redact)
    {
        var text = $"{result.Describe(f.RuleId)} {f.Display(redact)}";
        if (f.Commit is { } commit)
        {
            text += $", introduced by commit {commit.ShortSha} ({commit.Author}, {commit.Date:yyyy-MM-dd})";
        }

        if (f.Verification is { } check)
        {
            text += $", {check}";
        }

        if (f.Decoy is { } decoy)
        {
            return $"{text}, {decoy}: nothing to rotate; its use is refused and audited by the gateway";
        }

        return f.Known is { } known
            ? known.Rotation is { } rotation
                ? $"{text}, {known}: {rotation.Summary}; next: `{known.NextStep}`"
                : $"{text}, {known}: rotate it with `{known.NextStep}`"
            : $"{text}: revoke it and replace it with a Keywarden token";
    }

    /// <summary>The commit, the known upstream and the verification, in the result's property bag (SARIF §3.8).</summary>
    private static void WriteProperties(System.Text.Json.Utf8JsonWriter json, Finding f)
    {
        if (f.Commit is null && f.Known is null && f.Decoy is null && f.Verification is null)
        {
            return;
        }

        json.WriteStartObject("properties");
        if (f.Commit is { } commit)
        {
            json.WriteString("commit", commit.Sha);
            json.WriteString("author", commit.Author);
            json.WriteString("authorEmail", commit.Email);
            json.WriteString("commitDate", commit.Date);
        }

        if (f.Known is { } known)
        {
            json.WriteString("knownUpstream", known.Upstream);
            json.WriteString("knownKey", known.Slot);
            json.WriteString("nextStep", known.NextStep);
            if (known.Rotation is { } rotation)
            {
                json.WriteString("rotation", rotation.Status);
                if (rotation.RotationId is not null)
                {
                    json.WriteString("rotationId", rotation.RotationId);
                }
            }
        }

        if (f.Decoy is { } decoy)
        {
            json.WriteString("decoyTokenId", decoy.TokenId);
            json.WriteString("decoyName", decoy.Name);
        }

        if (f.Verification is { } check)
        {
            json.WriteString("verification", check.StatusName);
            if (check.Detail is not null)
            {
                json.WriteString("verificationDetail", check.Detail);
            }
        }

        json.WriteEndObject();
    }
}
