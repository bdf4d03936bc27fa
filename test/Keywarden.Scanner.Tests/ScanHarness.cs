using Keywarden.Scanner.Detection;

namespace Keywarden.Scanner.Tests;

/// <summary>Runs the scanner on text or on a temporary directory.</summary>
internal static class ScanHarness
{
    public static List<RawFinding> ScanText(string text, int chunkChars = TextScanner.DefaultChunkChars) =>
        new TextScanner(SecretRules.Default, chunkChars).Scan(new StringReader(text), includeBinary: false, TestContext.Current.CancellationToken)!;

    public static Task<ScanResult> ScanAsync(string directory, Baseline? baseline = null, bool includeBinary = false, int chunkChars = TextScanner.DefaultChunkChars) =>
        SecretScanner.ScanAsync(
            new ScanRequest { Targets = ["."], WorkingDirectory = directory, Baseline = baseline, IncludeBinary = includeBinary, ChunkChars = chunkChars },
            cancellationToken: TestContext.Current.CancellationToken);
}
