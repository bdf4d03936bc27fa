using System.Text.Json;

namespace Keywarden.Scanner.Files;

/// <summary>The scan config file, <c>.keywarden-scan.json</c>: <c>{"exclude": ["glob", …]}</c>.</summary>
internal static class ScanConfig
{
    public const string FileName = ".keywarden-scan.json";

    public static IReadOnlyList<string> LoadExcludes(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ScanException($"config {path}: expected an object such as {{\"exclude\": [\"node_modules\"]}}");
            }

            if (!document.RootElement.TryGetProperty("exclude", out var exclude))
            {
                return [];
            }

            if (exclude.ValueKind != JsonValueKind.Array)
            {
                throw new ScanException($"config {path}: \"exclude\" must be an array of globs");
            }

            var globs = new List<string>();
            foreach (var item in exclude.EnumerateArray())
            {
                globs.Add(item.ValueKind == JsonValueKind.String
                    ? item.GetString()!
                    : throw new ScanException($"config {path}: \"exclude\" must hold strings"));
            }

            return globs;
        }
        catch (JsonException e)
        {
            throw new ScanException($"config {path}: not valid JSON ({e.Message})", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ScanException($"config {path}: cannot read ({e.Message})", e);
        }
    }
}
