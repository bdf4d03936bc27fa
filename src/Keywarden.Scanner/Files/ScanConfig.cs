using System.Text.Json;

namespace Keywarden.Scanner.Files;

/// <summary>The scan config file, <c>.keywarden-scan.json</c>: <c>{"exclude": ["glob", …], "gitignore": true}</c>, both optional.</summary>
internal sealed class ScanConfig
{
    public const string FileName = ".keywarden-scan.json";

    private ScanConfig(IReadOnlyList<string> exclude, bool gitignore)
    {
        Exclude = exclude;
        Gitignore = gitignore;
    }

    public static ScanConfig Empty { get; } = new([], gitignore: false);

    public IReadOnlyList<string> Exclude { get; }

    /// <summary>Skip what Git ignores when scanning a directory (default false).</summary>
    public bool Gitignore { get; }

    public static ScanConfig Load(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ScanException($"config {path}: expected an object such as {{\"exclude\": [\"node_modules\"]}}");
            }

            var globs = new List<string>();
            if (document.RootElement.TryGetProperty("exclude", out var exclude))
            {
                if (exclude.ValueKind != JsonValueKind.Array)
                {
                    throw new ScanException($"config {path}: \"exclude\" must be an array of globs");
                }

                foreach (var item in exclude.EnumerateArray())
                {
                    globs.Add(item.ValueKind == JsonValueKind.String
                        ? item.GetString()!
                        : throw new ScanException($"config {path}: \"exclude\" must hold strings"));
                }
            }

            var gitignore = false;
            if (document.RootElement.TryGetProperty("gitignore", out var value))
            {
                gitignore = value.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw new ScanException($"config {path}: \"gitignore\" must be true or false"),
                };
            }

            return new ScanConfig(globs, gitignore);
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
