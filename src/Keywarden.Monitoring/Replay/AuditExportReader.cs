using System.Text.Json;
using Keywarden.Core.Audit;
using Keywarden.Core.Keys;

namespace Keywarden.Monitoring.Replay;

/// <summary>
/// Reads an audit export (JSON lines as <c>keywarden audit export</c> writes them) as <see cref="MonitorEvent"/>s,
/// streaming: one buffer of at most <see cref="MaxLineBytes"/>, whatever the file's size. The hash chain is not checked
/// (replay wants the requests, not the proof), fields it does not use are skipped, and the audit facts
/// (<c>recipients</c>, <c>from_domain</c>, <c>user_agent</c>) are optional. Blank lines are skipped.
/// </summary>
/// <remarks>
/// Required in every line: <c>time</c>, <c>kind</c>, <c>method</c>, <c>path</c>, <c>decision</c>, <c>rule</c>; the
/// others may be missing or null. A line that is not such an object throws <see cref="AuditExportException"/> naming it.
/// </remarks>
public sealed class AuditExportReader
{
    /// <summary>The longest line read, in bytes (1 MiB; an exported record is well under 2 KiB).</summary>
    public const int MaxLineBytes = 1 << 20;

    private const int MaxPooledChars = 512;
    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[MaxLineBytes];
    private readonly char[] _chars = new char[MaxPooledChars];
    private readonly StringPool _pool = new();
    private int _start;
    private int _end;
    private bool _endOfStream;

    /// <summary>Reads <paramref name="stream"/> from its current position; the caller keeps owning it.</summary>
    public AuditExportReader(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
    }

    /// <summary>The number of the line last read (1-based).</summary>
    public long Line { get; private set; }

    /// <summary>Bytes consumed so far (for progress).</summary>
    public long BytesRead { get; private set; }

    /// <summary>Reads the next record; false at the end of the stream.</summary>
    /// <exception cref="AuditExportException">The next line is not an exported audit record.</exception>
    public bool TryRead(out MonitorEvent record)
    {
        while (NextLine(out var start, out var length))
        {
            var line = _buffer.AsSpan(start, length).TrimEnd((byte)'\r');
            if (line.Trim(" \t"u8).IsEmpty)
            {
                continue;
            }

            record = Parse(line);
            return true;
        }

        record = default;
        return false;
    }

    private bool NextLine(out int start, out int length)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                start = _start;
                length = newline;
                _start += newline + 1;
                BytesRead += newline + 1;
                Line++;
                return true;
            }

            if (_endOfStream)
            {
                start = _start;
                length = _end - _start;
                _start = _end;
                BytesRead += length;
                if (length == 0)
                {
                    return false;
                }

                Line++;
                return true;
            }

            if (_start > 0)
            {
                _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                throw new AuditExportException(Line + 1, $"longer than {MaxLineBytes / 1024} KiB: not an exported audit record");
            }

            var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
            {
                _endOfStream = true;
            }

            _end += read;
        }
    }

    private MonitorEvent Parse(ReadOnlySpan<byte> line)
    {
        try
        {
            return ParseObject(line);
        }
        catch (JsonException e)
        {
            throw new AuditExportException(Line, $"not valid JSON (at byte {e.BytePositionInLine + 1})", e);
        }
    }

    private MonitorEvent ParseObject(ReadOnlySpan<byte> line)
    {
        var json = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 8 });
        if (!json.Read() || json.TokenType != JsonTokenType.StartObject)
        {
            throw Problem("not a JSON object");
        }

        DateTimeOffset? time = null;
        AuditKind? kind = null;
        AuditDecision? decision = null;
        string? tokenId = null, upstreamId = null, client = null, method = null, path = null, rule = null, fromDomain = null, userAgent = null;
        int? status = null, recipients = null;
        while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
        {
            var field = json.ValueIsEscaped ? Field.Unknown : FieldOf(json.ValueSpan);
            json.Read();
            switch (field)
            {
                case Field.Time:
                    time = Time(ref json);
                    break;
                case Field.Kind:
                    kind = Required(ref json, "kind") switch
                    {
                        "request" => AuditKind.Request,
                        "admin" => AuditKind.Admin,
                        _ => throw Problem("\"kind\" is neither \"request\" nor \"admin\""),
                    };
                    break;
                case Field.Decision:
                    decision = Required(ref json, "decision") switch
                    {
                        "allow" => AuditDecision.Allow,
                        "deny" => AuditDecision.Deny,
                        "error" => AuditDecision.Error,
                        _ => throw Problem("\"decision\" is not one of \"allow\", \"deny\", \"error\""),
                    };
                    break;
                case Field.TokenId:
                    tokenId = Optional(ref json, "token_id");
                    break;
                case Field.UpstreamId:
                    upstreamId = Optional(ref json, "upstream_id");
                    break;
                case Field.Client:
                    client = Optional(ref json, "client");
                    break;
                case Field.Method:
                    method = Required(ref json, "method");
                    break;
                case Field.Path:
                    path = Required(ref json, "path");
                    break;
                case Field.Rule:
                    rule = Required(ref json, "rule");
                    break;
                case Field.UpstreamStatus:
                    status = Number(ref json, "upstream_status");
                    break;
                case Field.Recipients:
                    recipients = Number(ref json, "recipients");
                    break;
                case Field.FromDomain:
                    fromDomain = Optional(ref json, "from_domain");
                    break;
                case Field.UserAgent:
                    userAgent = Optional(ref json, "user_agent");
                    break;
                default:
                    json.Skip();
                    break;
            }
        }

        if (json.TokenType != JsonTokenType.EndObject || json.Read())
        {
            throw Problem("not one JSON object");
        }

        if (time is null || kind is null || decision is null || method is null || path is null || rule is null)
        {
            var missing = time is null ? "time" : kind is null ? "kind" : decision is null ? "decision" : method is null ? "method" : path is null ? "path" : "rule";
            throw Problem($"no \"{missing}\": not an exported audit record");
        }

        UpstreamKind? api = rule is "not-api" or "canonical" ? null : path.StartsWith('/') ? UpstreamKind.Marketing : UpstreamKind.Transactional;
        return new MonitorEvent(
            time.Value, kind.Value, tokenId, upstreamId, client, api, method, path, decision.Value, rule, status, recipients, fromDomain, userAgent);
    }

    private enum Field
    {
        Unknown,
        Time,
        Kind,
        TokenId,
        UpstreamId,
        Client,
        Method,
        Path,
        Decision,
        Rule,
        UpstreamStatus,
        Recipients,
        FromDomain,
        UserAgent,
    }

    /// <summary>The field a property name is, by its length first: one comparison for most names instead of a chain of them.</summary>
    private static Field FieldOf(ReadOnlySpan<byte> name) => name.Length switch
    {
        4 => name.SequenceEqual("time"u8) ? Field.Time : name.SequenceEqual("kind"u8) ? Field.Kind : name.SequenceEqual("path"u8) ? Field.Path
            : name.SequenceEqual("rule"u8) ? Field.Rule : Field.Unknown,
        6 => name.SequenceEqual("client"u8) ? Field.Client : name.SequenceEqual("method"u8) ? Field.Method : Field.Unknown,
        8 => name.SequenceEqual("token_id"u8) ? Field.TokenId : name.SequenceEqual("decision"u8) ? Field.Decision : Field.Unknown,
        10 => name.SequenceEqual("user_agent"u8) ? Field.UserAgent : name.SequenceEqual("recipients"u8) ? Field.Recipients : Field.Unknown,
        11 => name.SequenceEqual("upstream_id"u8) ? Field.UpstreamId : name.SequenceEqual("from_domain"u8) ? Field.FromDomain : Field.Unknown,
        15 => name.SequenceEqual("upstream_status"u8) ? Field.UpstreamStatus : Field.Unknown,
        _ => Field.Unknown,
    };

    private string Required(ref Utf8JsonReader json, string field) =>
        Optional(ref json, field) ?? throw Problem($"\"{field}\" is null");

    private string? Optional(ref Utf8JsonReader json, string field)
    {
        if (json.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (json.TokenType != JsonTokenType.String)
        {
            throw Problem($"\"{field}\" is not a string");
        }

        if (json.HasValueSequence || json.ValueSpan.Length > MaxPooledChars)
        {
            return json.GetString();
        }

        var length = json.CopyString(_chars);
        return _pool.Get(_chars.AsSpan(0, length));
    }

    private int? Number(ref Utf8JsonReader json, string field)
    {
        if (json.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (json.TokenType != JsonTokenType.Number || !json.TryGetInt32(out var value))
        {
            throw Problem($"\"{field}\" is not a whole number");
        }

        return value;
    }

    private DateTimeOffset Time(ref Utf8JsonReader json)
    {
        if (json.TokenType != JsonTokenType.String)
        {
            throw Problem("\"time\" is not a string");
        }

        if (!json.HasValueSequence && ExportTime.TryParse(json.ValueSpan, out var fast))
        {
            return fast;
        }

        return json.TryGetDateTimeOffset(out var parsed)
            ? parsed
            : throw Problem("\"time\" is not an ISO-8601 time such as 2026-03-14T12:00:00.000Z");
    }

    private AuditExportException Problem(string problem) => new(Line, problem);
}
