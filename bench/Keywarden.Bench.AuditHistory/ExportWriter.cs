using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Keywarden.Core.Audit;

namespace Keywarden.Bench.AuditHistory;

/// <summary>
/// Writes generated records as <c>keywarden audit export</c> lines: the same fields in the same order, plus the audit
/// facts (<c>recipients</c>, <c>from_domain</c>, <c>user_agent</c>). The hashes are zeros: the chain is not what a
/// replay reads.
/// </summary>
internal sealed class ExportWriter(Stream stream) : IDisposable
{
    private static readonly string ZeroHash = new('0', 64);
    private readonly Utf8JsonWriter _json = new(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    private long _sequence;

    public long Written => _sequence;

    public void Write(in GeneratedRecord r)
    {
        _json.Reset();
        _json.WriteStartObject();
        _json.WriteNumber("sequence", ++_sequence);
        _json.WriteString("time", DateTimeOffset.FromUnixTimeMilliseconds(r.TimeMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        _json.WriteString("kind", "request");
        _json.WriteString("token_id", r.TokenId);
        _json.WriteString("upstream_id", r.UpstreamId);
        _json.WriteString("key_id", r.UpstreamId is null ? null : "key_" + r.UpstreamId[3..]);
        _json.WriteString("client", r.Client);
        _json.WriteString("method", r.Method);
        _json.WriteString("path", r.Path);
        _json.WriteString("decision", r.Decision switch { AuditDecision.Allow => "allow", AuditDecision.Deny => "deny", _ => "error" });
        _json.WriteString("rule", r.Rule);
        WriteNumber("upstream_status", r.Status);
        _json.WriteNumber("latency_ms", r.Status is null ? 0.2 : 180.5);
        _json.WriteNumber("bytes_in", 0);
        _json.WriteNumber("bytes_out", 0);
        _json.WriteNull("actor");
        _json.WriteNull("detail");
        _json.WriteString("prev_hash", ZeroHash);
        _json.WriteString("hash", ZeroHash);
        WriteNumber("recipients", r.Recipients);
        _json.WriteString("from_domain", r.FromDomain);
        _json.WriteString("user_agent", r.UserAgent);
        _json.WriteEndObject();
        _json.Flush();
        stream.WriteByte((byte)'\n');
    }

    public void Dispose() => _json.Dispose();

    private void WriteNumber(string name, int? value)
    {
        if (value is { } v)
        {
            _json.WriteNumber(name, v);
        }
        else
        {
            _json.WriteNull(name);
        }
    }
}
