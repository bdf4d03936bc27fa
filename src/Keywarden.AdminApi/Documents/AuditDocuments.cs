using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Keywarden.Core.Audit;
using Keywarden.Storage.Audit;

namespace Keywarden.AdminApi.Documents;

/// <summary>Audit records as <c>audit tail --json</c> and <c>audit export</c> write them, and the admin API streams them.</summary>
public static class AuditDocuments
{
    /// <summary>Instants as the audit log keeps them: UTC with milliseconds.</summary>
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>Text as written (no <c>\u0027</c>): these lines are read by people and parsed by JSON readers, never embedded in HTML.</summary>
    private static readonly JsonWriterOptions LineOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One record as a JSON object on one line (without the newline), every field present, in a fixed order.</summary>
    public static ArrayBufferWriter<byte> JsonLine(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var buffer = new ArrayBufferWriter<byte>(512);
        using var writer = new Utf8JsonWriter(buffer, LineOptions);
        var e = record.Entry;
        writer.WriteStartObject();
        writer.WriteNumber("sequence", record.Sequence);
        writer.WriteString("time", e.Time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture));
        writer.WriteString("kind", e.Kind.ToString().ToLowerInvariant());
        writer.WriteString("token_id", e.TokenId);
        writer.WriteString("upstream_id", e.UpstreamId);
        writer.WriteString("key_id", e.KeyId);
        writer.WriteString("client", e.ClientAddress);
        writer.WriteString("method", e.Method);
        writer.WriteString("path", e.Path);
        writer.WriteString("decision", DecisionWord(e.Decision));
        writer.WriteString("rule", e.Rule);
        WriteNumberOrNull(writer, "upstream_status", e.UpstreamStatus);
        writer.WriteNumber("latency_ms", e.LatencyMs);
        writer.WriteNumber("bytes_in", e.BytesIn);
        writer.WriteNumber("bytes_out", e.BytesOut);
        writer.WriteString("actor", e.Actor);
        writer.WriteString("detail", e.Detail);
        writer.WriteString("prev_hash", Convert.ToHexStringLower(record.PreviousHash));
        writer.WriteString("hash", Convert.ToHexStringLower(record.Hash));
        // The monitor's facts, after the fields exports had before them, so a reader of older lines finds those where it did.
        WriteNumberOrNull(writer, "recipients", e.Recipients);
        writer.WriteString("from_domain", e.FromDomain);
        writer.WriteString("user_agent", e.UserAgent);
        writer.WriteEndObject();
        writer.Flush();
        return buffer;
    }

    /// <summary>The result of <c>audit verify</c>.</summary>
    public static object Verification(AuditIntegrityReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var chain = report.Chain;
        return new
        {
            intact = report.Intact,
            records_checked = chain.RecordsChecked,
            first_bad_sequence = chain.FirstBadSequence,
            problem = chain.Problem,
            last_good_sequence = chain.LastGoodSequence,
            last_good_hash = Convert.ToHexStringLower(chain.LastGoodHash),
            checkpoints_checked = report.CheckpointsChecked,
            problems = report.Problems,
        };
    }

    /// <summary>A decision as the log's readers show it: allow, deny, error.</summary>
    public static string DecisionWord(AuditDecision decision) => decision.ToString().ToLowerInvariant();

    private static void WriteNumberOrNull(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
