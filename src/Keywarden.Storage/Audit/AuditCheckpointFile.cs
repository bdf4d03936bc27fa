using System.Globalization;
using System.Text;
using System.Text.Json;
using Keywarden.Core.Audit;
using Keywarden.Core.IO;

namespace Keywarden.Storage.Audit;

/// <summary>
/// Checkpoints kept outside the database: one JSON object per line, <c>{"sequence":N,"hash":"hex","time":"…Z"}</c>.
/// Kept somewhere an attacker with the database file cannot rewrite (another machine, write-once storage, a ticket),
/// they are what catches a log rewritten consistently, checkpoints included. Never holds a secret.
/// </summary>
public static class AuditCheckpointFile
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>One line for <paramref name="checkpoint"/>, without the line break.</summary>
    public static string Format(AuditCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("sequence", checkpoint.Sequence);
            writer.WriteString("hash", Convert.ToHexStringLower(checkpoint.Hash));
            writer.WriteString("time", checkpoint.Time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Adds <paramref name="checkpoint"/> as the last line of <paramref name="path"/> (created 0600), replacing the file atomically.</summary>
    /// <exception cref="IOException">The file cannot be read or written.</exception>
    /// <exception cref="UnauthorizedAccessException">Not allowed to read or write it.</exception>
    public static void Append(string path, AuditCheckpoint checkpoint)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var existing = File.Exists(path) ? File.ReadAllText(path) : "";
        if (existing.Length > 0 && !existing.EndsWith('\n'))
        {
            existing += "\n";
        }

        AtomicFile.Write(path, Encoding.UTF8.GetBytes(existing + Format(checkpoint) + "\n"));
    }

    /// <summary>Every checkpoint in <paramref name="path"/>; blank lines are skipped.</summary>
    /// <exception cref="InvalidDataException">A line is not a checkpoint; the message names the file and line.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static IReadOnlyList<AuditCheckpoint> Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var checkpoints = new List<AuditCheckpoint>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            checkpoints.Add(Parse(line) ?? throw new InvalidDataException(
                $"{path}, line {number}: not an audit checkpoint (expected {{\"sequence\":N,\"hash\":\"64 hex digits\",\"time\":\"ISO-8601\"}})"));
        }

        return checkpoints;
    }

    private static AuditCheckpoint? Parse(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("sequence", out var sequence) || !sequence.TryGetInt64(out var number) || number < 1
                || !root.TryGetProperty("hash", out var hash) || hash.GetString() is not { Length: 64 } hex
                || !root.TryGetProperty("time", out var time) || !time.TryGetDateTimeOffset(out var at))
            {
                return null;
            }

            return new AuditCheckpoint(number, Convert.FromHexString(hex), at, "file");
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }
}
