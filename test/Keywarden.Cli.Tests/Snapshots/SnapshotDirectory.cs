using System.Text;
using System.Text.RegularExpressions;

namespace Keywarden.Cli.Tests.Snapshots;

/// <summary>
/// The verified snapshots in one directory. A mismatch writes <c>NAME.received.txt</c> (git-ignored) and fails with a diff;
/// a missing verified file fails too, unless accepting, which writes what was received as the verified file.
/// </summary>
internal sealed partial class SnapshotDirectory(string path, bool accept)
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public string VerifiedPath(string name) => System.IO.Path.Combine(path, CheckedName(name) + ".verified.txt");

    public string ReceivedPath(string name) => System.IO.Path.Combine(path, CheckedName(name) + ".received.txt");

    public void Match(string name, string actual)
    {
        var received = SnapshotText.Normalize(actual);
        var verifiedPath = VerifiedPath(name);
        var receivedPath = ReceivedPath(name);
        var verified = File.Exists(verifiedPath) ? SnapshotText.Normalize(File.ReadAllText(verifiedPath, Encoding.UTF8)) : null;
        if (verified == received)
        {
            File.Delete(receivedPath); // left over from an earlier failure
            return;
        }

        if (accept)
        {
            File.WriteAllText(verifiedPath, received, Utf8);
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, received, Utf8);
        var howToAccept = $"Review it; if it is right, accept it with `mv {receivedPath} {verifiedPath}` "
            + $"or rerun with {Snapshot.AcceptVariable}=1, then commit the .verified.txt (CONTRIBUTING.md).";
        Assert.Fail(verified is null
            ? $"Snapshot '{name}' has no verified file {verifiedPath}.\nWhat the test produced is in {receivedPath}.\n{howToAccept}"
            : $"Snapshot '{name}' differs from {verifiedPath}; what the test produced is in {receivedPath}.\n{howToAccept}\n\n"
                + SnapshotDiff.Format(verified, received));
    }

    private static string CheckedName(string name) => SafeName().IsMatch(name)
        ? name
        : throw new ArgumentException($"snapshot name '{name}' is not lower-case letters, digits and dashes", nameof(name));

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex SafeName();
}
