using System.CommandLine;
using System.Globalization;
using Keywarden.Application;
using Keywarden.Cli.Infrastructure;
using Keywarden.Core.Rotation;
using Keywarden.Rotation;
using Keywarden.Scanner;
using Keywarden.Storage;

namespace Keywarden.Cli.Commands;

/// <summary>
/// What <c>scan</c> does about a stored key it finds: opens a rotation with reason <c>leak</c> (actor <c>scanner</c>,
/// the finding's location as its note) unless one is open, and records the outcome on the finding's
/// <see cref="KnownKey"/> for every report format. A store it cannot write never fails the scan: the outcome is
/// then the one command that opens the rotation.
/// </summary>
internal static class LeakRotations
{
    public const string Actor = "scanner";

    /// <summary>Opens (or finds) one rotation per leaked upstream; returns the lines to show a person.</summary>
    public static async Task<IReadOnlyList<string>> OpenAsync(
        CliGlobals globals, ParseResult result, ScanResult scan, string? repository, CancellationToken cancellationToken)
    {
        var leaks = scan.Findings.Where(f => f.Known is not null).GroupBy(f => f.Known!.Upstream, StringComparer.Ordinal).ToList();
        var lines = new List<string>();
        if (leaks.Count == 0)
        {
            return lines;
        }

        RotateCommands.Session? session = null;
        string? unavailable = null;
        try
        {
            session = await RotateCommands.OpenAsync(globals, result, cancellationToken, Actor);
        }
        catch (Exception e) when (IsStoreFailure(e))
        {
            unavailable = RotationWords.MessageOf(e);
        }

        await using (session)
        {
            foreach (var leak in leaks)
            {
                var name = leak.Key;
                var note = Note(leak.ToList(), repository);
                LeakRotation? outcome = null;
                var failure = unavailable;
                if (session is not null)
                {
                    try
                    {
                        outcome = await OpenOneAsync(session, name, note, lines, cancellationToken);
                    }
                    catch (Exception e) when (IsStoreFailure(e))
                    {
                        failure = RotationWords.MessageOf(e);
                    }
                }

                if (outcome is null)
                {
                    var command = $"keywarden rotate start {name} --reason leak --note {Quote(note)}";
                    outcome = new LeakRotation("not_opened", null, "no rotation opened (the store cannot be written)", command);
                    lines.Add($"Could not open the leak rotation of '{name}': {Redact(failure ?? $"no upstream named '{name}'", leak)}");
                    lines.Add($"  Open it yourself: {command}");
                }

                foreach (var known in leak.Select(f => f.Known!).Distinct())
                {
                    known.Rotation = outcome;
                }
            }
        }

        return lines;
    }

    /// <summary>Opens the leak rotation of <paramref name="name"/>, or says where its open one stands; null when no upstream has that name.</summary>
    private static async Task<LeakRotation?> OpenOneAsync(RotateCommands.Session session, string name, string note, List<string> lines, CancellationToken cancellationToken)
    {
        var store = session.Vault.Store;
        if (await store.FindUpstreamAsync(name, cancellationToken) is not { } upstream)
        {
            return null;
        }

        if (await store.FindOpenRotationAsync(upstream.Id, cancellationToken) is { } open)
        {
            // Never drive someone else's rotation from a scan: it only says where that rotation stands.
            return AlreadyOpen(upstream, open, await store.ListKeysAsync(upstream.Id, cancellationToken), lines);
        }

        var started = await session.Service.StartAsync(name, RotationReason.Leak, note, cancellationToken);
        if (started.AlreadyOpen)
        {
            return AlreadyOpen(upstream, started.Rotation, await store.ListKeysAsync(upstream.Id, cancellationToken), lines);
        }

        lines.Add($"Leak rotation {started.Rotation.Id} of '{name}' opened ({note}). Steps:");
        lines.AddRange(started.Steps.Select((s, i) => $"  {i + 1}. {s}"));
        return new LeakRotation(
            "opened", started.Rotation.Id, $"leak rotation {started.Rotation.Id} opened, create a new key at {started.KeysPage}", NextCommand(name, started.Rotation.State));
    }

    private static LeakRotation AlreadyOpen(UpstreamRecord upstream, RotationRecord open, IReadOnlyList<UpstreamKeyRecord> keys, List<string> lines)
    {
        var next = RotationGuide.NextStep(upstream, open.State, keys.FirstOrDefault(k => k.Id == open.OldKeyId));
        var state = RotationMachine.Describe(open.State);
        lines.Add($"Rotation {open.Id} of '{upstream.Name}' is already open ({RotationMachine.Describe(open.Reason)}, {state}); no new one opened. Next: {next}");
        return new LeakRotation("already_open", open.Id, $"rotation {open.Id} already open ({state})", NextCommand(upstream.Name, open.State));
    }

    /// <summary>The command a person runs next in a rotation in <paramref name="state"/> (<see cref="RotationGuide.NextStep(UpstreamRecord, RotationState, UpstreamKeyRecord?)"/> says it in words).</summary>
    private static string NextCommand(string upstream, RotationState state) => state switch
    {
        RotationState.AwaitingNewKey => $"keywarden rotate submit {upstream} --key-file FILE",
        RotationState.AwaitingRevocation => $"keywarden rotate confirm {upstream} --wait",
        _ => $"keywarden rotate resume {upstream}",
    };

    /// <summary>Where the leak is, for the rotation's history: <c>file:line:col</c>, or the commit and path; never the secret.</summary>
    private static string Note(List<Finding> findings, string? repository)
    {
        var first = findings[0];
        var location = first.Commit is { } commit
            ? $"commit {commit.ShortSha} {first.Path}:{first.Line}:{first.Column} in {repository}"
            : first.Path == SecretScanner.StandardInputPath
                ? $"stdin:{first.Line}:{first.Column}"
                : repository is not null
                    ? $"staged {first.Path}:{first.Line}:{first.Column} in {repository}"
                    : $"{Path.GetFullPath(first.Path)}:{first.Line}:{first.Column}";
        var more = findings.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $" (+{findings.Count - 1} more)") : "";
        return Redact("found by keywarden scan at " + location + more, findings);
    }

    /// <summary>A path could hold the secret itself; the note and messages never do.</summary>
    private static string Redact(string text, IEnumerable<Finding> findings) =>
        findings.Aggregate(text, (t, f) => t.Replace(f.Secret, "[redacted]", StringComparison.Ordinal));

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static bool IsStoreFailure(Exception e) =>
        e is StorageException or VaultException or RotationException or Core.Crypto.KeywardenCryptoException or IOException or UnauthorizedAccessException;
}
