using System.Runtime.CompilerServices;

namespace Keywarden.Cli.Tests.Snapshots;

/// <summary>
/// Output people read, compared with a reviewed copy committed beside this file as <c>NAME.verified.txt</c>
/// (a small stand-in for Verify, which our package mirror does not serve). CONTRIBUTING.md says how to review and accept.
/// </summary>
internal static class Snapshot
{
    /// <summary>Set to <c>1</c> to write what the tests produce as the verified snapshots instead of failing.</summary>
    public const string AcceptVariable = "KEYWARDEN_ACCEPT_SNAPSHOTS";

    /// <summary>Fails, with a diff and a NAME.received.txt to look at, unless <paramref name="actual"/> (scrubbed) is the verified snapshot.</summary>
    public static void Match(string name, string actual, SnapshotScrubber? scrubber = null) =>
        new SnapshotDirectory(SourceDirectory(), AcceptRequested(Environment.GetEnvironmentVariable(AcceptVariable)))
            .Match(name, (scrubber ?? new SnapshotScrubber()).Scrub(actual));

    public static bool AcceptRequested(string? value) => value == "1";

    // The source tree, not the build output: the verified files are committed, and a CI clone has them there. This needs
    // real source paths in the build (no /_/ path map: see the project file).
    private static string SourceDirectory([CallerFilePath] string thisFile = "") =>
        Path.GetDirectoryName(thisFile) is { Length: > 0 } directory && Directory.Exists(directory)
            ? directory
            : throw new InvalidOperationException(
                $"the snapshot directory beside '{thisFile}' does not exist here: was the test built with a path map (DeterministicSourcePaths)?");
}
