using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Keywarden.Core.Audit;

/// <summary>
/// The canonical, unambiguous byte encoding of a record's contents. Every field has a fixed width
/// or a length prefix, and every optional field a presence byte, so no two different records
/// encode alike. Enumerations are words, not ordinals. All integers are big-endian.
/// <code>
/// "keywarden.audit.v1"                      18 ASCII bytes, no prefix
/// sequence                                  int64
/// time                                      int64, Unix milliseconds (UTC)
/// kind                                      str: "request" | "admin"
/// token_id, upstream_id, key_id, client     opt-str each
/// method, path                              str each
/// decision                                  str: "allow" | "deny" | "error"
/// rule                                      str
/// upstream_status                           opt-int32
/// latency_ms                                float64 (IEEE 754 bits; -0 is written as +0)
/// bytes_in, bytes_out                       int64 each
/// actor, detail                             opt-str each
/// then, only when recipients, from_domain or user_agent is not null (the facts extension):
/// extension tag                             0x01
/// recipients                                opt-int32
/// from_domain, user_agent                   opt-str each
///
/// str     = uint32 byte length, then UTF-8 (an unpaired surrogate is written as U+FFFD)
/// opt-str = 0x00 for null | 0x01 then str
/// opt-int32 = 0x00 for null | 0x01 then int32
/// </code>
/// The record's hash is SHA-256 of the previous hash (32 bytes) followed by this encoding.
/// A record without facts ends after <c>detail</c>, byte for byte as every record did before the facts existed, so
/// older logs still verify; one with facts has the tag and at least one present fact after it. The encoding is hashed
/// as a whole, so where it ends is part of what is hashed and the two forms cannot be confused.
/// </summary>
internal static class AuditEncoding
{
    /// <summary>The byte after <c>detail</c> that starts the facts (recipients, from_domain, user_agent).</summary>
    public const byte FactsTag = 0x01;

    private static readonly byte[] Magic = "keywarden.audit.v1"u8.ToArray();

    /// <summary>The encoding's first bytes.</summary>
    public static ReadOnlySpan<byte> MagicBytes => Magic;

    public static byte[] Hash(long sequence, ReadOnlySpan<byte> previousHash, AuditEntry entry)
    {
        var length = previousHash.Length + Length(entry);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var span = buffer.AsSpan(0, length);
            previousHash.CopyTo(span);
            Write(span[previousHash.Length..], sequence, entry);
            return SHA256.HashData(span);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static byte[] Encode(long sequence, AuditEntry entry)
    {
        var bytes = new byte[Length(entry)];
        Write(bytes, sequence, entry);
        return bytes;
    }

    public static string Word(AuditKind kind) => kind switch
    {
        AuditKind.Request => "request",
        AuditKind.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown audit kind"),
    };

    public static string Word(AuditDecision decision) => decision switch
    {
        AuditDecision.Allow => "allow",
        AuditDecision.Deny => "deny",
        AuditDecision.Error => "error",
        _ => throw new ArgumentOutOfRangeException(nameof(decision), decision, "unknown audit decision"),
    };

    private static int Length(AuditEntry e) =>
        Magic.Length + 8 + 8
        + Str(Word(e.Kind))
        + OptStr(e.TokenId) + OptStr(e.UpstreamId) + OptStr(e.KeyId) + OptStr(e.ClientAddress)
        + Str(e.Method) + Str(e.Path) + Str(Word(e.Decision)) + Str(e.Rule)
        + (e.UpstreamStatus is null ? 1 : 5)
        + 8 + 8 + 8
        + OptStr(e.Actor) + OptStr(e.Detail)
        + (HasFacts(e) ? 1 + (e.Recipients is null ? 1 : 5) + OptStr(e.FromDomain) + OptStr(e.UserAgent) : 0);

    /// <summary>True when the entry is written with the facts extension.</summary>
    public static bool HasFacts(AuditEntry e) => e.Recipients is not null || e.FromDomain is not null || e.UserAgent is not null;

    private static int Str(string text) => 4 + Encoding.UTF8.GetByteCount(text);

    private static int OptStr(string? text) => text is null ? 1 : 1 + Str(text);

    private static void Write(Span<byte> span, long sequence, AuditEntry e)
    {
        var writer = new Writer(span);
        writer.Bytes(Magic);
        writer.Int64(sequence);
        writer.Int64(e.Time.ToUnixTimeMilliseconds());
        writer.Str(Word(e.Kind));
        writer.OptStr(e.TokenId);
        writer.OptStr(e.UpstreamId);
        writer.OptStr(e.KeyId);
        writer.OptStr(e.ClientAddress);
        writer.Str(e.Method);
        writer.Str(e.Path);
        writer.Str(Word(e.Decision));
        writer.Str(e.Rule);
        writer.OptInt32(e.UpstreamStatus);

        // +0.0 turns -0.0 into +0.0: a store may keep a zero REAL as the integer 0.
        writer.Int64(BitConverter.DoubleToInt64Bits(e.LatencyMs + 0.0));
        writer.Int64(e.BytesIn);
        writer.Int64(e.BytesOut);
        writer.OptStr(e.Actor);
        writer.OptStr(e.Detail);
        if (HasFacts(e))
        {
            writer.Byte(FactsTag);
            writer.OptInt32(e.Recipients);
            writer.OptStr(e.FromDomain);
            writer.OptStr(e.UserAgent);
        }

        if (writer.Position != span.Length)
        {
            throw new InvalidOperationException("audit encoding length mismatch");
        }
    }

    private ref struct Writer(Span<byte> span)
    {
        private readonly Span<byte> _span = span;

        public int Position { get; private set; }

        public void Bytes(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(_span[Position..]);
            Position += bytes.Length;
        }

        public void Byte(byte value) => _span[Position++] = value;

        public void Int32(int value)
        {
            BinaryPrimitives.WriteInt32BigEndian(_span[Position..], value);
            Position += 4;
        }

        public void OptInt32(int? value)
        {
            if (value is { } present)
            {
                Byte(1);
                Int32(present);
            }
            else
            {
                Byte(0);
            }
        }

        public void Int64(long value)
        {
            BinaryPrimitives.WriteInt64BigEndian(_span[Position..], value);
            Position += 8;
        }

        public void Str(string text)
        {
            var written = Encoding.UTF8.GetBytes(text, _span[(Position + 4)..]);
            BinaryPrimitives.WriteUInt32BigEndian(_span[Position..], (uint)written);
            Position += 4 + written;
        }

        public void OptStr(string? text)
        {
            if (text is null)
            {
                Byte(0);
            }
            else
            {
                Byte(1);
                Str(text);
            }
        }
    }
}
