namespace Keywarden.Scanner;

/// <summary>The findings of a scan, sorted by path, line and column, and what was read to find them.</summary>
public sealed class ScanResult
{
    internal ScanResult(IReadOnlyList<ScanRule> rules, IReadOnlyList<Finding> findings, long filesScanned, long bytesScanned, long binarySkipped,
        int suppressedByBaseline, IReadOnlyList<string> warnings, long commitsScanned = 0, long placeholdersSkipped = 0, long ignoredPaths = 0)
    {
        Rules = rules;
        IgnoredPaths = ignoredPaths;
        PlaceholdersSkipped = placeholdersSkipped;
        CommitsScanned = commitsScanned;
        Findings = findings;
        FilesScanned = filesScanned;
        BytesScanned = bytesScanned;
        BinaryFilesSkipped = binarySkipped;
        SuppressedByBaseline = suppressedByBaseline;
        Warnings = warnings;
    }

    public IReadOnlyList<Finding> Findings { get; }

    /// <summary>Every rule the scan looked for (<see cref="ScanRules.Of"/>), whether it found something or not.</summary>
    public IReadOnlyList<ScanRule> Rules { get; }

    /// <summary>The description of <paramref name="ruleId"/> (the id itself if the scan has no such rule).</summary>
    public string Describe(string ruleId) => Rules.FirstOrDefault(r => r.Id == ruleId)?.Description ?? ruleId;

    /// <summary>Files read; with <c>--git</c> or <c>--staged</c>, distinct blobs read.</summary>
    public long FilesScanned { get; }

    /// <summary>With <c>--git</c>: the commits whose changes were listed (0 otherwise).</summary>
    public long CommitsScanned { get; }

    public long BytesScanned { get; }

    public long BinaryFilesSkipped { get; }

    /// <summary>Secrets shaped right but skipped as placeholders (periodic, or with a word such as <c>example</c> or <c>your</c>): not findings.</summary>
    public long PlaceholdersSkipped { get; }

    public int SuppressedByBaseline { get; }

    /// <summary>
    /// With <c>--gitignore</c>: files and directories not scanned because Git ignores them, a directory once (what is in
    /// it is not read). Tracked files are never ignored.
    /// </summary>
    public long IgnoredPaths { get; }

    /// <summary>Files that could not be read (one line each, no secrets); the scan went on without them.</summary>
    public IReadOnlyList<string> Warnings { get; }
}
