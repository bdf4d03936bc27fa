using System.Collections.Concurrent;
using Keywarden.Scanner.Detection;
using Keywarden.Scanner.Files;
using Keywarden.Scanner.Ignore;

namespace Keywarden.Scanner;

/// <summary>Scans files, directories and stdin for Mailchimp keys and Keywarden tokens. See the README beside this file for the rules.</summary>
public static class SecretScanner
{
    /// <summary>The display path of stdin.</summary>
    public const string StandardInputPath = "-";

    /// <summary>Scans every target; files in parallel, findings sorted by path, line, column and rule.</summary>
    /// <exception cref="ScanException">A target does not exist, or the config cannot be read.</exception>
    public static async Task<ScanResult> ScanAsync(ScanRequest request, IProgress<ScanProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = request.Source is ScanSource.Files
            ? await ScanFilesAsync(request, progress, cancellationToken)
            : await ScanRepositoryAsync(request, progress, cancellationToken);
        if (request.KnownKeys is { } knownKeys)
        {
            await IdentifyAsync(result.Findings, knownKeys, cancellationToken);
        }

        if (request.Verify is { } verify)
        {
            await new Verification.KeyChecker(request.Apis, verify).CheckAllAsync(result.Findings, cancellationToken);
        }

        return result;
    }

    /// <summary>Names the stored key, or the decoy token, each finding is, looking each distinct secret up once, by its SHA-256.</summary>
    private static async Task IdentifyAsync(IReadOnlyList<Finding> findings, IKnownKeyLookup knownKeys, CancellationToken cancellationToken)
    {
        foreach (var group in findings.GroupBy(f => f.KeySha256, StringComparer.Ordinal))
        {
            if (group.First().RuleId == ScanRules.KeywardenToken)
            {
                if (await knownKeys.FindDecoyAsync(group.Key, cancellationToken) is { } decoy)
                {
                    foreach (var finding in group)
                    {
                        finding.Decoy = decoy;
                    }
                }

                continue;
            }

            if (ScanRules.IsOperatorSecret(group.First().RuleId))
            {
                continue; // stored only as hashes of another kind: nothing in the vault to name
            }

            if (await knownKeys.FindAsync(group.Key, cancellationToken) is { } known)
            {
                foreach (var finding in group)
                {
                    finding.Known = known;
                }
            }
        }
    }

    private static async Task<ScanResult> ScanFilesAsync(ScanRequest request, IProgress<ScanProgress>? progress, CancellationToken cancellationToken)
    {
        var units = await PlanAsync(request, cancellationToken);
        var rules = SecretRules.For(request.Apis);
        var findings = new ConcurrentBag<Finding>();
        var warnings = new ConcurrentBag<string>();
        long files = 0;
        long bytes = 0;
        long binary = 0;
        long placeholders = 0;

        void Scanned(Unit unit, long read, List<RawFinding>? raw, int placeholdersSkipped)
        {
            Interlocked.Add(ref placeholders, placeholdersSkipped);
            if (raw is null)
            {
                Interlocked.Increment(ref binary);
            }
            else
            {
                foreach (var f in raw)
                {
                    findings.Add(new Finding(f.RuleId, unit.DisplayPath, f.Line, f.Column, f.Secret));
                }
            }

            var done = Interlocked.Increment(ref files);
            var total = Interlocked.Add(ref bytes, read);
            progress?.Report(new ScanProgress(done, total));
        }

        foreach (var unit in units.Given.Where(u => u.FullPath is null))
        {
            var reader = request.StandardInput ?? throw new ScanException("'-' given but no standard input to read");
            var scanner = new TextScanner(rules, request.ChunkChars);
            var raw = scanner.Scan(reader, request.IncludeBinary, cancellationToken);
            Scanned(unit, scanner.CharsRead, raw, scanner.PlaceholdersSkipped);
        }

        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = Math.Max(1, request.MaxDegreeOfParallelism),
            CancellationToken = cancellationToken,
        };
        // The directories are walked by the workers as they go, so scanning starts with the first file found.
        var paths = units.Given.Where(u => u.FullPath is not null)
            .Concat(units.Walks.SelectMany(walk => walk.Walker.Files().Select(file => new Unit(file.FullPath, walk.Prefix + file.RelativePath))));
        await Parallel.ForEachAsync(paths, parallel, (unit, ct) =>
        {
            try
            {
                using var reader = TextFile.Open(unit.FullPath!);
                var scanner = new TextScanner(rules, request.ChunkChars);
                var raw = scanner.Scan(reader, request.IncludeBinary, ct);
                Scanned(unit, reader.BytesRead, raw, scanner.PlaceholdersSkipped);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                warnings.Add($"cannot read {unit.DisplayPath}: {e.Message}");
            }

            return ValueTask.CompletedTask;
        });

        return Finish([.. findings], request, files, bytes, binary, warnings, commits: 0, placeholders, units.Walks.Sum(walk => walk.Walker.IgnoredPaths));
    }

    /// <summary>The history (<c>--git</c>) or the index (<c>--staged</c>) of the repository that holds the one target (default: .).</summary>
    private static async Task<ScanResult> ScanRepositoryAsync(ScanRequest request, IProgress<ScanProgress>? progress, CancellationToken cancellationToken)
    {
        if (request.Targets.Count > 1)
        {
            throw new ScanException("--git and --staged scan one repository; give at most one directory");
        }

        var workingDirectory = request.WorkingDirectory ?? Environment.CurrentDirectory;
        var target = Path.GetFullPath(request.Targets.Count == 1 ? request.Targets[0] : ".", workingDirectory);
        var (repository, bare) = await Git.GitProcess.FindHistoryAsync(target, cancellationToken);
        if (bare && request.Source != ScanSource.GitHistory)
        {
            throw new ScanException($"{repository} is a bare repository: it has no index to scan with --staged; --git scans its history");
        }

        // What Git recorded is scanned whatever .gitignore says now: "gitignore" does not apply here.
        var config = request.ConfigFile is { } file
            ? ScanConfig.Load(Path.GetFullPath(file, workingDirectory))
            : File.Exists(Path.Combine(repository, ScanConfig.FileName)) ? ScanConfig.Load(Path.Combine(repository, ScanConfig.FileName)) : ScanConfig.Empty;
        var scanner = new Git.GitScanner(request, config.Exclude, progress);
        var arguments = request.Source == ScanSource.GitHistory ? Git.GitScanner.HistoryArguments : Git.GitScanner.StagedArguments;
        return await scanner.ScanAsync(repository, arguments, cancellationToken);
    }

    internal static ScanResult Finish(
        List<Finding> all, ScanRequest request, long files, long bytes, long binary, IEnumerable<string> warnings, long commits, long placeholders, long ignored = 0)
    {
        var kept = request.Baseline is { } baseline ? all.Where(f => !baseline.Contains(f)).ToList() : all;
        kept.Sort(Compare);
        return new ScanResult(ScanRules.Of(request.Apis), kept, files, bytes, binary, all.Count - kept.Count, [.. warnings.Order(StringComparer.Ordinal)], commits, placeholders, ignored);
    }

    private static int Compare(Finding a, Finding b)
    {
        var byPath = string.CompareOrdinal(a.Path, b.Path);
        if (byPath != 0)
        {
            return byPath;
        }

        var byLine = a.Line.CompareTo(b.Line);
        if (byLine != 0)
        {
            return byLine;
        }

        var byColumn = a.Column.CompareTo(b.Column);
        if (byColumn != 0)
        {
            return byColumn;
        }

        var byRule = string.CompareOrdinal(a.RuleId, b.RuleId);
        return byRule != 0 ? byRule : Nullable.Compare(a.Commit?.Date, b.Commit?.Date);
    }

    /// <summary>
    /// What to scan: the files and stdin given (checked now: a missing target fails before any scanning), and the
    /// directories, walked lazily, each with the prefix of its display paths.
    /// </summary>
    private static async Task<(List<Unit> Given, List<(TargetWalker Walker, string Prefix)> Walks)> PlanAsync(ScanRequest request, CancellationToken cancellationToken)
    {
        var workingDirectory = request.WorkingDirectory ?? Environment.CurrentDirectory;
        var configured = request.ConfigFile is { } config ? ScanConfig.Load(Path.GetFullPath(config, workingDirectory)) : ScanConfig.Empty;
        var targets = request.Targets.Count == 0 ? ["."] : request.Targets;
        var units = new List<Unit>();
        var walks = new List<(TargetWalker, string)>();
        foreach (var target in targets)
        {
            if (target == StandardInputPath)
            {
                units.Add(new Unit(null, StandardInputPath));
                continue;
            }

            var full = Path.GetFullPath(target, workingDirectory);
            var display = Normalize(target);
            if (File.Exists(full))
            {
                // A file named on the command line is scanned: excludes and ignore rules are for what a walk finds.
                units.Add(new Unit(full, display));
            }
            else if (Directory.Exists(full))
            {
                var own = Path.Combine(full, ScanConfig.FileName);
                var settings = request.ConfigFile is null && File.Exists(own) ? ScanConfig.Load(own) : configured;
                var filter = new PathFilter(settings.Exclude.Concat(request.Exclude));
                var ignore = request.Gitignore ?? settings.Gitignore ? await GitIgnore.LoadAsync(full, cancellationToken) : null;
                var prefix = display is "." or "./" ? "" : display.TrimEnd('/') + "/";
                walks.Add((new TargetWalker(full, filter, ignore), prefix));
            }
            else
            {
                throw new ScanException($"no such file or directory: {target}");
            }
        }

        return (units, walks);
    }

    private static string Normalize(string target)
    {
        var path = target.Replace('\\', '/');
        return path.StartsWith("./", StringComparison.Ordinal) && path.Length > 2 ? path[2..] : path;
    }

    private readonly record struct Unit(string? FullPath, string DisplayPath);
}
