using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Keywarden.Core.IO;
using Keywarden.Scanner.Reporting;

namespace Keywarden.Scanner;

/// <summary>Writes a scan's report. Secrets are redacted unless <c>redact</c> is false (<c>--no-redact</c>).</summary>
public static class ScanReportWriter
{
    internal static readonly JsonWriterOptions JsonOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Render(ScanResult result, ScanFormat format, bool redact = true)
    {
        ArgumentNullException.ThrowIfNull(result);
        return format switch
        {
            ScanFormat.Text => TextReport.Render(result, redact),
            ScanFormat.Json => JsonReport.Render(result, redact),
            ScanFormat.Sarif => SarifReport.Render(result, redact),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown format"),
        };
    }

    public static Task WriteAsync(TextWriter writer, ScanResult result, ScanFormat format, bool redact = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        return writer.WriteAsync(new StringBuilder(Render(result, format, redact)), cancellationToken);
    }

    /// <summary>Writes the report to <paramref name="path"/>, replacing it atomically (temp file, flush, rename).</summary>
    public static Task WriteFileAsync(string path, ScanResult result, ScanFormat format, bool redact = true, CancellationToken cancellationToken = default) =>
        AtomicFile.WriteAllTextAsync(path, Render(result, format, redact), cancellationToken);

    internal static string ToJson(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonOptions))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length) + "\n";
    }
}
