using Keywarden.Core.Providers;
using Keywarden.Mailchimp;

namespace Keywarden.Scanner;

/// <summary>What to scan and how.</summary>
public sealed class ScanRequest
{
    /// <summary>Where the text comes from: files and directories (default), a repository's history, or its index.</summary>
    public ScanSource Source { get; init; } = ScanSource.Files;

    /// <summary>
    /// Files and directories; <c>-</c> reads <see cref="StandardInput"/>. Empty means the current directory.
    /// For <see cref="ScanSource.GitHistory"/> and <see cref="ScanSource.Staged"/>: at most one, a directory in the repository.
    /// </summary>
    public IReadOnlyList<string> Targets { get; init; } = [];

    /// <summary>Read for the target <c>-</c>.</summary>
    public TextReader? StandardInput { get; init; }

    /// <summary>Directory the relative targets are resolved against (default: the process's current directory).</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>
    /// A config file (<c>{"exclude": ["glob", …], "gitignore": true}</c>) applied to every target. Without it, each directory
    /// target's own <c>.keywarden-scan.json</c> applies, if it has one.
    /// </summary>
    public string? ConfigFile { get; init; }

    /// <summary>More exclude globs, on top of the config's.</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>
    /// In directories, skip what Git ignores (<c>.gitignore</c> files, <c>.git/info/exclude</c>; tracked files are
    /// never ignored). Null leaves it to the config's <c>"gitignore"</c> (default false). Files named as targets, stdin,
    /// <see cref="ScanSource.GitHistory"/> and <see cref="ScanSource.Staged"/> are not affected.
    /// </summary>
    public bool? Gitignore { get; init; }

    /// <summary>Scan files with NUL bytes too (skipped as binary by default).</summary>
    public bool IncludeBinary { get; init; }

    /// <summary>
    /// The upstream APIs whose keys are looked for (their <see cref="IUpstreamApi.SecretPatterns"/>) and, with
    /// <see cref="Verify"/>, asked about; Keywarden's gateway tokens are always looked for. Default: Mailchimp's two APIs.
    /// </summary>
    public UpstreamApiCatalog Apis { get; init; } = MailchimpApis.Catalog;

    /// <summary>Findings whose fingerprint the baseline lists are left out.</summary>
    public Baseline? Baseline { get; init; }

    /// <summary>Files scanned at once (default: the processor count).</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Characters per chunk of a file; a test knob for secrets that span chunks.</summary>
    internal int ChunkChars { get; init; } = Detection.TextScanner.DefaultChunkChars;

    /// <summary>Recognises stored keys among the findings (by hash); null when there is no Keywarden data directory.</summary>
    public IKnownKeyLookup? KnownKeys { get; init; }

    /// <summary>With <c>--verify</c>: how to ask each finding's upstream whether the key works; null does not ask.</summary>
    public VerifyOptions? Verify { get; init; }
}
