using Keywarden.Core.Audit;

namespace Keywarden.Core.Tests.Audit;

/// <summary>Random audit chains from a seed (about half the records with facts, half in the older form), and single-field edits of a record.</summary>
internal static class SampleChains
{
    public const int EditableFields = 22;

    private static readonly string?[] Texts = [null, "", "a", "tok_7gq2m0x4k9c1", "up_newsletter", "/lists/{id}/members/**", "été ✓ 𝄞", "a\0b", "\"quoted\" \\ json", "x y"];

    private static readonly DateTimeOffset Epoch = new(2025, 3, 14, 15, 9, 26, 535, TimeSpan.Zero);

    public static AuditEntry Entry(Random random)
    {
        string? Text() => Texts[random.Next(Texts.Length)];
        string Required() => Text() ?? "GET";
        var facts = random.Next(2) == 0; // the older form otherwise: all three null
        return new AuditEntry(
            Time: Epoch.AddMilliseconds(random.NextInt64(-1_000_000_000, 1_000_000_000)),
            Kind: (AuditKind)random.Next(2),
            TokenId: Text(),
            UpstreamId: Text(),
            KeyId: Text(),
            ClientAddress: random.Next(3) == 0 ? null : $"10.0.{random.Next(256)}.{random.Next(256)}",
            Method: Required(),
            Path: Required(),
            Decision: (AuditDecision)random.Next(3),
            Rule: Required(),
            UpstreamStatus: random.Next(3) == 0 ? null : random.Next(100, 600),
            LatencyMs: random.Next(4) == 0 ? 0 : random.NextDouble() * 1000,
            BytesIn: random.NextInt64(0, 1L << 40),
            BytesOut: random.NextInt64(0, 1L << 40),
            Actor: Text(),
            Detail: Text(),
            Recipients: facts && random.Next(3) != 0 ? random.Next(0, 1000) : null,
            FromDomain: facts ? Text() : null,
            UserAgent: facts ? Text() : null);
    }

    public static List<AuditRecord> Build(int seed, int length)
    {
        var random = new Random(seed);
        var records = new List<AuditRecord>(length);
        var previous = AuditChain.Genesis;
        for (var sequence = 1; sequence <= length; sequence++)
        {
            var record = AuditChain.Link(sequence, previous, Entry(random));
            records.Add(record);
            previous = record.Hash;
        }

        return records;
    }

    /// <summary>The record with field number <paramref name="field"/> (0 … <see cref="EditableFields"/> - 1) changed to a different value.</summary>
    public static AuditRecord Edit(AuditRecord record, int field)
    {
        var e = record.Entry;
        return field switch
        {
            0 => record with { Sequence = record.Sequence + 1 },
            1 => record with { PreviousHash = Flip(record.PreviousHash) },
            2 => record with { Hash = Flip(record.Hash) },
            3 => record with { Entry = e with { Time = e.Time.AddMilliseconds(1) } },
            4 => record with { Entry = e with { Kind = e.Kind == AuditKind.Admin ? AuditKind.Request : AuditKind.Admin } },
            5 => record with { Entry = e with { TokenId = Change(e.TokenId) } },
            6 => record with { Entry = e with { UpstreamId = Change(e.UpstreamId) } },
            7 => record with { Entry = e with { KeyId = Change(e.KeyId) } },
            8 => record with { Entry = e with { ClientAddress = Change(e.ClientAddress) } },
            9 => record with { Entry = e with { Method = e.Method + "x" } },
            10 => record with { Entry = e with { Path = e.Path + "/" } },
            11 => record with { Entry = e with { Decision = (AuditDecision)(((int)e.Decision + 1) % 3) } },
            12 => record with { Entry = e with { Rule = e.Rule.Length > 0 ? e.Rule[..^1] : "allow" } },
            13 => record with { Entry = e with { UpstreamStatus = e.UpstreamStatus is { } s ? (s == 200 ? null : 200) : 500 } },
            14 => record with { Entry = e with { LatencyMs = e.LatencyMs + 0.25 } },
            15 => record with { Entry = e with { BytesIn = e.BytesIn + 1 } },
            16 => record with { Entry = e with { BytesOut = e.BytesOut ^ (1L << 62) } },
            17 => record with { Entry = e with { Actor = Change(e.Actor) } },
            18 => record with { Entry = e with { Detail = Change(e.Detail) } },
            19 => record with { Entry = e with { Recipients = e.Recipients is { } n ? (n == 0 ? null : n - 1) : 0 } },
            20 => record with { Entry = e with { FromDomain = Change(e.FromDomain) } },
            21 => record with { Entry = e with { UserAgent = Change(e.UserAgent) } },
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };
    }

    // null ↔ "" ↔ "x…": a change the encoding must see, including null versus empty.
    private static string? Change(string? text) => text switch
    {
        null => "",
        "" => null,
        _ => text + "x",
    };

    private static byte[] Flip(byte[] hash)
    {
        var copy = (byte[])hash.Clone();
        copy[copy.Length / 2] ^= 0x01;
        return copy;
    }
}
