using System.Threading.Channels;
using Keywarden.Scanner.Detection;
using Keywarden.Scanner.Files;

namespace Keywarden.Scanner.Git;

/// <summary>
/// Scans the blobs that <c>git log</c> (history) or <c>git diff --cached</c> (the index) names: each distinct blob once,
/// by a few workers that each own a <c>git cat-file --batch</c>, while the listing is still being read. Memory holds
/// one dictionary entry per clean blob (its 20-byte id, about 40 bytes in all); only blobs with findings keep the paths
/// and commits they appeared at.
/// </summary>
internal sealed class GitScanner
{
    private const int QueueCapacity = 256;

    /// <summary>A blob already scanned and clean: nothing more to remember about it.</summary>
    private static readonly BlobState Clean = new();

    private readonly ScanRequest _request;
    private readonly SecretRules _rules;
    private readonly PathFilter _filter;
    private readonly Dictionary<ObjectId, BlobState> _blobs = [];
    private readonly Lock _lock = new();
    private readonly IProgress<ScanProgress>? _progress;
    private readonly List<string> _warnings = [];
    private long _blobsScanned;
    private long _bytesScanned;
    private long _binarySkipped;
    private long _placeholders;
    private long _commits;

    public GitScanner(ScanRequest request, IReadOnlyList<string> excludes, IProgress<ScanProgress>? progress)
    {
        _request = request;
        _rules = SecretRules.For(request.Apis);
        _filter = new PathFilter(excludes.Concat(request.Exclude));
        _progress = progress;
    }

    /// <summary>Every blob of every commit reachable from any ref, attributed to the first commit that put it at its path.</summary>
    public static string[] HistoryArguments =>
    [
        "log", "--all", "--reverse", "--topo-order", "--diff-merges=first-parent", "--raw", "--no-abbrev", "--no-renames",
        "--no-textconv", "--no-ext-diff", "-z", GitRawReader.LogFormat,
    ];

    /// <summary>What <c>git commit</c> would record: the index version of added, modified and type-changed files.</summary>
    public static string[] StagedArguments =>
        ["diff", "--cached", "--raw", "--no-abbrev", "--no-renames", "--diff-filter=AMT", "--no-ext-diff", "-z"];

    public async Task<ScanResult> ScanAsync(string repository, string[] listArguments, CancellationToken cancellationToken)
    {
        var queue = Channel.CreateBounded<ObjectId>(new BoundedChannelOptions(QueueCapacity) { SingleWriter = true });
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        // A worker that fails stops the listing too (it would wait on a full queue forever), and its error is the one reported.
        async Task RunWorker()
        {
            try
            {
                await Work(repository, queue.Reader, failed.Token);
            }
            catch (Exception) when (!failed.IsCancellationRequested)
            {
                await failed.CancelAsync();
                throw;
            }
        }

        var workers = Enumerable.Range(0, Math.Max(1, _request.MaxDegreeOfParallelism)).Select(_ => Task.Run(RunWorker, CancellationToken.None)).ToArray();
        try
        {
            await ListAsync(repository, listArguments, queue.Writer, failed.Token);
        }
        catch (OperationCanceledException) when (failed.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // a worker failed: awaiting the workers below throws its error
        }
        catch
        {
            queue.Writer.TryComplete();
            await failed.CancelAsync();
            await Task.WhenAll(workers).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            throw;
        }
        finally
        {
            queue.Writer.TryComplete();
        }

        await Task.WhenAll(workers);
        return Collect();
    }

    private async Task ListAsync(string repository, string[] arguments, ChannelWriter<ObjectId> queue, CancellationToken cancellationToken)
    {
        using var process = GitProcess.Start(repository, arguments);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await foreach (var entry in GitRawReader.ReadAsync(process.StandardOutput, _ => _commits++, cancellationToken))
            {
                if (!_filter.IsEmpty && _filter.IsExcluded(entry.Path))
                {
                    continue;
                }

                if (Enqueue(entry))
                {
                    await queue.WriteAsync(entry.Blob, cancellationToken);
                }
            }

            await process.WaitForExitAsync(cancellationToken);
            await GitProcess.EnsureSuccessAsync(process, error);
        }
        finally
        {
            GitProcess.Stop(process);
        }
    }

    /// <summary>Records where the blob appeared; true when it is new and must be scanned.</summary>
    private bool Enqueue(GitBlobEntry entry)
    {
        lock (_lock)
        {
            if (!_blobs.TryGetValue(entry.Blob, out var state))
            {
                _blobs[entry.Blob] = new BlobState { Occurrences = [new Occurrence(entry.Path, entry.Commit)] };
                return true;
            }

            if (state.Occurrences is { } occurrences && !occurrences.Exists(o => o.Path == entry.Path))
            {
                // The first commit with this blob at this path introduced it there; later ones only carry it.
                occurrences.Add(new Occurrence(entry.Path, entry.Commit));
            }

            return false;
        }
    }

    private async Task Work(string repository, ChannelReader<ObjectId> queue, CancellationToken cancellationToken)
    {
        using var blobs = new GitBlobReader(repository);
        while (await queue.WaitToReadAsync(cancellationToken))
        {
            while (queue.TryRead(out var id))
            {
                List<RawFinding>? findings = null;
                var binary = false;
                var placeholders = 0;
                var size = blobs.Read(id, content =>
                {
                    using var reader = TextFile.Open(content);
                    var scanner = new TextScanner(_rules, _request.ChunkChars);
                    findings = scanner.Scan(reader, _request.IncludeBinary, cancellationToken);
                    binary = findings is null;
                    placeholders = scanner.PlaceholdersSkipped;
                });
                Scanned(id, size, findings, binary, placeholders);
            }
        }
    }

    private void Scanned(ObjectId id, long size, List<RawFinding>? findings, bool binary, int placeholders)
    {
        lock (_lock)
        {
            _placeholders += placeholders;
            if (size < 0)
            {
                _warnings.Add($"blob {id} is missing from the repository (a shallow or partial clone?)");
            }

            if (binary)
            {
                _binarySkipped++;
            }

            if (findings is { Count: > 0 })
            {
                _blobs[id].Findings = findings;
            }
            else
            {
                _blobs[id] = Clean;
            }

            _blobsScanned++;
            _bytesScanned += Math.Max(0, size);
            _progress?.Report(new ScanProgress(_blobsScanned, _bytesScanned));
        }
    }

    private ScanResult Collect()
    {
        var all = new List<Finding>();
        foreach (var state in _blobs.Values)
        {
            if (state.Findings is not { } raw)
            {
                continue;
            }

            foreach (var occurrence in state.Occurrences!)
            {
                all.AddRange(raw.Select(f => new Finding(f.RuleId, occurrence.Path, f.Line, f.Column, f.Secret) { Commit = occurrence.Commit }));
            }
        }

        return SecretScanner.Finish(all, _request, _blobsScanned, _bytesScanned, _binarySkipped, _warnings, _commits, _placeholders);
    }

    private sealed class BlobState
    {
        public List<Occurrence>? Occurrences { get; init; }

        public List<RawFinding>? Findings { get; set; }
    }

    private readonly record struct Occurrence(string Path, GitCommit? Commit);
}
