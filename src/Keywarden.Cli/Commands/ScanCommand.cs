using System.CommandLine;
using Keywarden.Application;
using Keywarden.Cli.Infrastructure;
using Keywarden.Core.Keys;
using Keywarden.Mailchimp;
using Keywarden.Scanner;
using Keywarden.Storage;

namespace Keywarden.Cli.Commands;

/// <summary>
/// <c>keywarden scan [PATH…]</c>: finds Mailchimp keys and Keywarden tokens in files, directories and stdin (<c>-</c>).
/// Exit 1 with findings, 0 without, 2 on error. Secrets are redacted unless <c>--no-redact</c>.
/// </summary>
internal static class ScanCommand
{
    private static readonly HttpClient VerifyHttp = new() { Timeout = Timeout.InfiniteTimeSpan };

    public static Command Create(CliGlobals globals)
    {
        var paths = new Argument<string[]>("path") { Description = "Files and directories to scan, '-' for stdin (default: .)", Arity = ArgumentArity.ZeroOrMore };
        var format = new Option<string>("--format") { Description = "text, json or sarif", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json", "sarif");
        var output = new Option<string?>("--output", "-o") { Description = "Write the report to FILE (replaced atomically) instead of stdout" };
        var noRedact = new Option<bool>("--no-redact") { Description = "Show secrets in full (never in shared logs)" };
        var baseline = new Option<string?>("--baseline") { Description = "Ignore findings whose fingerprint FILE lists" };
        var writeBaseline = new Option<string?>("--write-baseline") { Description = "Write the findings' fingerprints to FILE and exit 0" };
        var config = new Option<string?>("--config")
        {
            Description = "Config FILE ({\"exclude\": [glob, …], \"gitignore\": true}); default: .keywarden-scan.json in each scanned directory",
        };
        var exclude = new Option<string[]>("--exclude")
        {
            Description = "Skip paths matching GLOB (repeatable): without '/' at any depth (node_modules, *.min.js), with '/' from the scanned directory (docs/**/*.md)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var gitignore = new Option<bool>("--gitignore")
        {
            Description = "In directories, skip what Git ignores (.gitignore files, .git/info/exclude); tracked files are still scanned. "
                + "Off by default (or \"gitignore\": true in the config); --git and --staged scan what Git recorded, ignored or not",
        };
        var includeBinary = new Option<bool>("--include-binary") { Description = "Also scan files with NUL bytes" };
        var git = new Option<bool>("--git") { Description = "Scan the whole history of the repository at PATH (default: .): every blob once, attributed to the commit that introduced it" };
        var staged = new Option<bool>("--staged") { Description = "Scan what is about to be committed (the index) in the repository at PATH (default: .)" };
        var verify = new Option<bool>("--verify") { Description = "Ask each finding's upstream whether the key works: active, revoked or unknown" };
        var verifyBaseUrl = new Option<string?>("--verify-base-url")
        {
            Description = $"Check keys against URL instead of Mailchimp (a sandbox); default {string.Join(" / ", MailchimpApis.Catalog.All.Select(a => "$" + a.BaseUrlVariable))}, else Mailchimp's hosts",
        };
        var noRotate = new Option<bool>("--no-rotate") { Description = "Do not open a leak rotation for a stored key found (only name the command that would)" };
        var command = new Command(
            "scan",
            "Find leaked Mailchimp keys and Keywarden tokens in files, directories, stdin, Git history (--git) or the index (--staged). "
            + "A key stored in this vault that is found opens its leak rotation (written to the vault; --no-rotate only names the command)")
        {
            paths, format, output, noRedact, baseline, writeBaseline, config, exclude, gitignore, includeBinary, git, staged, verify, verifyBaseUrl, noRotate,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var context = globals.Context;
            var baselinePath = result.GetValue(baseline);
            var writeBaselinePath = result.GetValue(writeBaseline);
            if (result.GetValue(git) && result.GetValue(staged))
            {
                throw new CliException("--git and --staged cannot be combined");
            }

            // The path argument takes any word, so a mistyped option lands here: say so, rather than "no such file".
            foreach (var path in result.GetValue(paths) ?? [])
            {
                if (path.Length > 1 && path[0] == '-' && !File.Exists(path) && !Directory.Exists(path))
                {
                    var nearest = Suggestions.Nearest(path, command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)));
                    throw new CliException($"unknown option '{path}' for 'keywarden scan'{(nearest is null ? "" : $" (did you mean '{nearest}'?)")}");
                }
            }

            // Known keys: only when a data directory has a database; a scan never needs one.
            var data = globals.Vaults(result).Data;
            await using var store = data.IsInitialized ? await OpenStoreAsync(globals, result, context, cancellationToken) : null;
            var source = result.GetValue(git) ? ScanSource.GitHistory : result.GetValue(staged) ? ScanSource.Staged : ScanSource.Files;
            var request = new ScanRequest
            {
                Source = source,
                Apis = MailchimpApis.Catalog,
                Targets = result.GetValue(paths) is { Length: > 0 } given ? given : ["."],
                StandardInput = context.In,
                ConfigFile = result.GetValue(config),
                Exclude = result.GetValue(exclude) ?? [],
                Gitignore = result.GetValue(gitignore) ? true : null,
                IncludeBinary = result.GetValue(includeBinary),
                // A new baseline lists every current finding, the already-known ones included.
                Baseline = baselinePath is null || writeBaselinePath is not null ? null : await LoadBaselineAsync(baselinePath, cancellationToken),
                KnownKeys = store is null ? null : new StoredKeyLookup(store),
                Verify = result.GetValue(verify) ? CreateVerifyOptions(context, result.GetValue(verifyBaseUrl)) : null,
            };

            ScanResult scan;
            using (var progress = TerminalStatusLine.ForStderr(context) is { } line ? new TerminalProgress(line, source is ScanSource.Files ? "files" : "blobs") : null)
            {
                scan = await Run(() => SecretScanner.ScanAsync(request, progress, cancellationToken));
            }

            foreach (var warning in scan.Warnings)
            {
                await context.Error.WriteLineAsync($"warning: {warning}");
            }

            if (writeBaselinePath is not null)
            {
                await Baseline.WriteAsync(writeBaselinePath, scan.Findings, cancellationToken);
                await context.Error.WriteLineAsync($"baseline: {scan.Findings.Count} findings written to {writeBaselinePath}");
                return ExitCodes.Ok;
            }

            // A stored key found is a leak: open its rotation before reporting, so every format says what was done.
            var repository = source == ScanSource.Files ? null : Path.GetFullPath(request.Targets.Count == 1 ? request.Targets[0] : ".");
            var rotations = result.GetValue(noRotate) ? [] : await LeakRotations.OpenAsync(globals, result, scan, repository, cancellationToken);
            var scanFormat = Enum.Parse<ScanFormat>(result.GetValue(format) ?? "text", ignoreCase: true);
            var redact = !result.GetValue(noRedact);
            var humanOut = scanFormat == ScanFormat.Text && result.GetValue(output) is null ? context.Out : context.Error;
            if (result.GetValue(output) is { } outputPath)
            {
                await ScanReportWriter.WriteFileAsync(outputPath, scan, scanFormat, redact, cancellationToken);
            }
            else
            {
                await ScanReportWriter.WriteAsync(context.Out, scan, scanFormat, redact, cancellationToken);
            }

            foreach (var line in rotations)
            {
                await humanOut.WriteLineAsync(line);
            }

            return scan.Findings.Count > 0 ? ExitCodes.Findings : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The option overrides every API's base URL; otherwise each API's environment variable its own.</summary>
    private static VerifyOptions CreateVerifyOptions(CliContext context, string? baseUrl)
    {
        var addresses = new Dictionary<UpstreamKind, Uri>();
        foreach (var api in MailchimpApis.Catalog.All)
        {
            if (ParseBaseUrl(baseUrl ?? context.GetEnvironment(api.BaseUrlVariable), baseUrl is null ? api.BaseUrlVariable : "--verify-base-url") is { } address)
            {
                addresses[api.Kind] = address;
            }
        }

        return new VerifyOptions { Http = VerifyHttp, BaseAddresses = addresses, Time = context.Time };
    }

    private static Uri? ParseBaseUrl(string? value, string source)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new CliException($"{source}: not an http(s) URL: {value}");
        }

        // A base without a trailing slash would lose its last segment when "3.0/ping" is resolved against it.
        return uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }

    /// <summary>The store, or null with a warning when it cannot be opened: recognising known keys is a bonus, not a reason to fail a scan.</summary>
    private static async Task<IKeywardenStore?> OpenStoreAsync(CliGlobals globals, ParseResult result, CliContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await globals.Vaults(result).OpenStoreAsync(cancellationToken);
        }
        catch (Exception e) when (e is StorageException or VaultException or IOException or UnauthorizedAccessException)
        {
            await context.Error.WriteLineAsync($"warning: known keys not checked: {VaultWords.MessageOf(e)}");
            return null;
        }
    }

    private static Task<Baseline> LoadBaselineAsync(string path, CancellationToken cancellationToken) =>
        Run(() => Baseline.LoadAsync(path, cancellationToken));

    /// <summary>Scanner failures are usage errors of this command: one line, exit 2.</summary>
    private static async Task<T> Run<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (ScanException e)
        {
            throw new CliException(e.Message, e);
        }
    }

    /// <summary>"scanned N files (or blobs), M MiB" on the terminal's stderr (<see cref="TerminalStatusLine"/>).</summary>
    private sealed class TerminalProgress(TerminalStatusLine line, string unit) : IProgress<ScanProgress>, IDisposable
    {
        public void Report(ScanProgress value) =>
            line.Show(static s => $"scanned {s.Value.FilesScanned} {s.Unit}, {s.Value.BytesScanned / (1024.0 * 1024.0):F1} MiB", (Value: value, Unit: unit));

        public void Dispose() => line.Dispose();
    }
}
