using System.Globalization;
using System.Text;

namespace Keywarden.Scanner.Reporting;

/// <summary><c>path:line:col  rule  secret</c> per finding, then one summary line.</summary>
internal static class TextReport
{
    public static string Render(ScanResult result, bool redact)
    {
        var text = new StringBuilder();
        foreach (var f in result.Findings)
        {
            text.Append(CultureInfo.InvariantCulture, $"{f.Path}:{f.Line}:{f.Column}  {f.RuleId}  {f.Display(redact)}");
            if (f.Commit is { } commit)
            {
                text.Append(CultureInfo.InvariantCulture, $"  commit {commit.ShortSha} by {commit.Author} <{commit.Email}> {commit.Date:yyyy-MM-dd}");
            }

            if (f.Known is { } known)
            {
                text.Append("  ").Append(known);
            }

            if (f.Decoy is { } decoy)
            {
                text.Append("  ").Append(decoy);
            }

            if (f.Verification is { } check)
            {
                text.Append("  ").Append(check);
            }

            text.Append('\n');
        }

        var files = result.Findings.Select(f => f.Path).Distinct(StringComparer.Ordinal).Count();
        text.Append(result.Findings.Count switch
        {
            0 => "no secrets found",
            1 => "1 secret found in 1 file",
            var n => $"{n} secrets found in {files} {(files == 1 ? "file" : "files")}",
        });
        if (result.CommitsScanned > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" ({result.CommitsScanned} commits, {result.FilesScanned} blobs, {result.BytesScanned} bytes scanned");
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $" ({result.FilesScanned} files, {result.BytesScanned} bytes scanned");
        }
        if (result.BinaryFilesSkipped > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"; {result.BinaryFilesSkipped} binary skipped");
        }

        if (result.PlaceholdersSkipped > 0)
        {
            // Seen, and judged not to be a secret: said, so that a clean result over a file holding one is not a surprise.
            text.Append(CultureInfo.InvariantCulture, $"; {result.PlaceholdersSkipped} placeholder{(result.PlaceholdersSkipped == 1 ? "" : "s")} skipped");
        }

        if (result.IgnoredPaths > 0)
        {
            // Not read at all: said, so that nobody takes a clean result for a scan of everything.
            text.Append(CultureInfo.InvariantCulture, $"; {result.IgnoredPaths} ignored by .gitignore");
        }

        if (result.SuppressedByBaseline > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"; {result.SuppressedByBaseline} in baseline");
        }

        text.Append(")\n");
        foreach (var known in result.Findings.Select(f => f.Known).OfType<KnownKey>().DistinctBy(k => k.Upstream).OrderBy(k => k.Upstream, StringComparer.Ordinal))
        {
            var done = known.Rotation is { } rotation ? $"{rotation.Summary}; next:" : "run:";
            text.Append(CultureInfo.InvariantCulture, $"The key of upstream '{known.Upstream}' leaked: {done} {known.NextStep}\n");
        }

        foreach (var decoy in result.Findings.Select(f => f.Decoy).OfType<KnownDecoy>().Distinct().OrderBy(d => d.TokenId, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"{decoy.TokenId} ('{decoy.Name}') is a decoy, planted on purpose: nothing to rotate (add it to a baseline to stop reporting it).\n");
        }

        return text.ToString();
    }
}
