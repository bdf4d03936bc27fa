namespace Keywarden.Scanner.Reporting;

/// <summary>One JSON document: the findings (snake_case, like the rest of the CLI's JSON) and the scan's counts.</summary>
internal static class JsonReport
{
    public static string Render(ScanResult result, bool redact) => ScanReportWriter.ToJson(json =>
    {
        json.WriteStartObject();
        json.WriteNumber("version", 1);
        json.WriteStartArray("findings");
        foreach (var f in result.Findings)
        {
            json.WriteStartObject();
            json.WriteString("rule", f.RuleId);
            json.WriteString("path", f.Path);
            json.WriteNumber("line", f.Line);
            json.WriteNumber("column", f.Column);
            json.WriteString("fingerprint", f.Fingerprint);
            json.WriteString("secret", f.Display(redact));
            json.WriteBoolean("redacted", redact);
            if (f.Commit is { } commit)
            {
                json.WriteStartObject("commit");
                json.WriteString("sha", commit.Sha);
                json.WriteString("author", commit.Author);
                json.WriteString("email", commit.Email);
                json.WriteString("date", commit.Date);
                json.WriteEndObject();
            }

            if (f.Known is { } known)
            {
                json.WriteStartObject("known");
                json.WriteString("upstream", known.Upstream);
                json.WriteString("key_slot", known.Slot);
                json.WriteString("next_step", known.NextStep);
                if (known.Rotation is { } rotation)
                {
                    json.WriteStartObject("rotation");
                    json.WriteString("status", rotation.Status);
                    json.WriteString("id", rotation.RotationId);
                    json.WriteString("summary", rotation.Summary);
                    json.WriteEndObject();
                }

                json.WriteEndObject();
            }

            if (f.Decoy is { } decoy)
            {
                json.WriteStartObject("decoy");
                json.WriteString("token_id", decoy.TokenId);
                json.WriteString("name", decoy.Name);
                json.WriteString("summary", decoy.ToString());
                json.WriteEndObject();
            }

            if (f.Verification is { } check)
            {
                json.WriteStartObject("verification");
                json.WriteString("status", check.StatusName);
                json.WriteString("detail", check.Detail);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteNumber("files_scanned", result.FilesScanned);
        json.WriteNumber("commits_scanned", result.CommitsScanned);
        json.WriteNumber("bytes_scanned", result.BytesScanned);
        json.WriteNumber("binary_files_skipped", result.BinaryFilesSkipped);
        json.WriteNumber("placeholders_skipped", result.PlaceholdersSkipped);
        json.WriteNumber("ignored_paths", result.IgnoredPaths);
        json.WriteNumber("suppressed_by_baseline", result.SuppressedByBaseline);
        json.WriteEndObject();
    });
}
