using System.Buffers.Binary;
using System.Text;

namespace Keywarden.Core.Audit;

/// <summary>
/// An entry as bytes and back, for keeping entries outside the chain before they are linked (the gateway's audit
/// spool): the chain's own encoding (<see cref="AuditChain.Encode"/>) with sequence 0, of the entry as it will be
/// stored (<see cref="AuditChain.Link"/>'s normal form: millisecond UTC time, secrets redacted). Two entries that would
/// be stored alike encode alike, which is what lets a replay tell an entry already in the log from one that is not.
/// </summary>
public static class AuditEntryCodec
{
    private static int MagicLength => AuditEncoding.MagicBytes.Length;

    /// <summary>The normalised entry's bytes.</summary>
    /// <exception cref="ArgumentException">The entry can never be recorded (see <see cref="AuditChain.ThrowIfInvalid"/>).</exception>
    public static byte[] Encode(AuditEntry entry)
    {
        AuditChain.ThrowIfInvalid(entry);
        return AuditEncoding.Encode(0, AuditNormalizer.Normalize(entry));
    }

    /// <summary>The entry <paramref name="bytes"/> hold, or null when they are not exactly one encoded entry.</summary>
    public static AuditEntry? Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < MagicLength || !bytes[..MagicLength].SequenceEqual(AuditEncoding.MagicBytes))
        {
            return null;
        }

        var reader = new Reader(bytes);
        if (!reader.Skip(MagicLength) || !reader.Int64(out var sequence) || sequence != 0 || !reader.Int64(out var time)
            || !reader.Str(out var kind) || !reader.OptStr(out var tokenId) || !reader.OptStr(out var upstreamId)
            || !reader.OptStr(out var keyId) || !reader.OptStr(out var client) || !reader.Str(out var method) || !reader.Str(out var path)
            || !reader.Str(out var decision) || !reader.Str(out var rule) || !reader.Byte(out var hasStatus))
        {
            return null;
        }

        int? status = null;
        if (hasStatus == 1)
        {
            if (!reader.Int32(out var value))
            {
                return null;
            }

            status = value;
        }

        if (!reader.Int64(out var latency) || !reader.Int64(out var bytesIn) || !reader.Int64(out var bytesOut)
            || !reader.OptStr(out var actor) || !reader.OptStr(out var detail))
        {
            return null;
        }

        // Facts: absent in the older form, which ends here; otherwise a tag and at least one present fact.
        int? recipients = null;
        string? fromDomain = null, userAgent = null;
        if (!reader.AtEnd
            && (!reader.Byte(out var tag) || tag != AuditEncoding.FactsTag || !reader.OptInt32(out recipients) || !reader.OptStr(out fromDomain)
                || !reader.OptStr(out userAgent) || (recipients is null && fromDomain is null && userAgent is null) || recipients < 0))
        {
            return null;
        }

        if (!reader.AtEnd)
        {
            return null;
        }

        AuditKind? parsedKind = kind switch { "request" => AuditKind.Request, "admin" => AuditKind.Admin, _ => null };
        AuditDecision? parsedDecision = decision switch { "allow" => AuditDecision.Allow, "deny" => AuditDecision.Deny, "error" => AuditDecision.Error, _ => null };
        var latencyMs = BitConverter.Int64BitsToDouble(latency);
        if (parsedKind is null || parsedDecision is null || hasStatus > 1 || !double.IsFinite(latencyMs)
            || time < DateTimeOffset.MinValue.ToUnixTimeMilliseconds() || time > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            return null; // nothing Encode writes
        }

        return new AuditEntry(
            DateTimeOffset.FromUnixTimeMilliseconds(time), parsedKind.Value, tokenId, upstreamId, keyId, client, method!, path!, parsedDecision.Value,
            rule!, status, latencyMs, bytesIn, bytesOut, actor, detail, recipients, fromDomain, userAgent);
    }

    private ref struct Reader(ReadOnlySpan<byte> span)
    {
        private readonly ReadOnlySpan<byte> _span = span;
        private int _position;

        public readonly bool AtEnd => _position == _span.Length;

        public bool Skip(int count)
        {
            if (_span.Length - _position < count)
            {
                return false;
            }

            _position += count;
            return true;
        }

        public bool Byte(out byte value)
        {
            value = 0;
            if (_position >= _span.Length)
            {
                return false;
            }

            value = _span[_position++];
            return true;
        }

        public bool Int32(out int value)
        {
            value = 0;
            if (_span.Length - _position < 4)
            {
                return false;
            }

            value = BinaryPrimitives.ReadInt32BigEndian(_span[_position..]);
            _position += 4;
            return true;
        }

        public bool OptInt32(out int? value)
        {
            value = null;
            if (!Byte(out var present) || present > 1)
            {
                return false;
            }

            if (present == 1)
            {
                if (!Int32(out var read))
                {
                    return false;
                }

                value = read;
            }

            return true;
        }

        public bool Int64(out long value)
        {
            value = 0;
            if (_span.Length - _position < 8)
            {
                return false;
            }

            value = BinaryPrimitives.ReadInt64BigEndian(_span[_position..]);
            _position += 8;
            return true;
        }

        public bool Str(out string? value)
        {
            value = null;
            if (_span.Length - _position < 4)
            {
                return false;
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(_span[_position..]);
            if (length > (uint)(_span.Length - _position - 4))
            {
                return false;
            }

            value = Encoding.UTF8.GetString(_span.Slice(_position + 4, (int)length));
            _position += 4 + (int)length;
            return true;
        }

        public bool OptStr(out string? value)
        {
            value = null;
            if (!Byte(out var present) || present > 1)
            {
                return false;
            }

            return present == 0 || Str(out value);
        }
    }
}
