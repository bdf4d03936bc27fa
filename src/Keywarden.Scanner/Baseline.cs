using System.Text.Json;
using Keywarden.Core.IO;

namespace Keywarden.Scanner;

/// <summary>
/// Known findings to ignore, by fingerprint: <c>{"version": 1, "fingerprints": ["hex", …]}</c>. A fingerprint is a
/// hash, never the secret, so a baseline may be committed.
/// </summary>
public sealed class Baseline
{
    private readonly HashSet<string> _fingerprints;

    public Baseline(IEnumerable<string> fingerprints) =>
        _fingerprints = new HashSet<string>(fingerprints, StringComparer.OrdinalIgnoreCase);

    public int Count => _fingerprints.Count;

    public bool Contains(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return _fingerprints.Contains(finding.Fingerprint);
    }

    /// <exception cref="ScanException">The file is missing or not a baseline.</exception>
    public static async Task<Baseline> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var stream = File.OpenRead(path);
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("fingerprints", out var list)
                || list.ValueKind != JsonValueKind.Array)
            {
                throw new ScanException($"baseline {path}: expected {{\"version\": 1, \"fingerprints\": [...]}}");
            }

            return new Baseline(list.EnumerateArray().Select(e => e.GetString() ?? ""));
        }
        catch (JsonException e)
        {
            throw new ScanException($"baseline {path}: not valid JSON ({e.Message})", e);
        }
        catch (InvalidOperationException e)
        {
            throw new ScanException($"baseline {path}: fingerprints must be strings", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ScanException($"baseline {path}: cannot read ({e.Message})", e);
        }
    }

    /// <summary>Writes the fingerprints of <paramref name="findings"/>, sorted and distinct, replacing the file atomically.</summary>
    public static Task WriteAsync(string path, IEnumerable<Finding> findings, CancellationToken cancellationToken = default)
    {
        var fingerprints = findings.Select(f => f.Fingerprint).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var json = JsonSerializer.Serialize(new BaselineDocument(1, fingerprints), BaselineJson.Options);
        return AtomicFile.WriteAllTextAsync(path, json + "\n", cancellationToken);
    }

    private sealed record BaselineDocument(int Version, string[] Fingerprints);

    private static class BaselineJson
    {
        public static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };
    }
}
