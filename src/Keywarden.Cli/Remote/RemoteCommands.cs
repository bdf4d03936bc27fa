using System.Collections.Frozen;

namespace Keywarden.Cli.Remote;

/// <summary>
/// Which commands work in remote mode (<c>KEYWARDEN_ADDR</c> or <c>--addr</c> set). A command is either served by the
/// admin API, local by nature (it starts a server, reads files on this machine, or talks to the server itself), or
/// refused: with an address set, nothing may quietly run against a vault on this machine instead of the server.
/// </summary>
internal static class RemoteCommands
{
    /// <summary>Commands that go through the admin API in remote mode, by their path without <c>keywarden</c>.</summary>
    public static readonly FrozenSet<string> Served = FrozenSet.Create(
        StringComparer.Ordinal,
        "rotate start",
        "rotate submit",
        "rotate status",
        "rotate confirm",
        "rotate abort",
        "rotate resume",
        "sink add",
        "sink list",
        "sink remove",
        "token issue",
        "token list",
        "token revoke",
        "run",
        "master rotate",
        "operator join");

    /// <summary>
    /// Commands (or whole groups) that do the same with an address set: they start or stand in for a server, work on files
    /// and repositories here, or are the remote mode's own (<c>login</c>, <c>logout</c>).
    /// </summary>
    public static readonly FrozenSet<string> Local = FrozenSet.Create(
        StringComparer.Ordinal,
        "init",
        "serve",
        "sandbox",
        "demo",
        "scan",
        "hook",
        "completion",
        "login",
        "logout",
        "monitor");

    /// <summary>Why <paramref name="path"/> may not run in remote mode, or null when it may.</summary>
    public static string? Refusal(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Served.Contains(path) || Local.Contains(path) || Local.Contains(path.Split(' ')[0]))
        {
            return null;
        }

        return $"'keywarden {path}' has no remote mode yet: run it on the server, or unset KEYWARDEN_ADDR (and drop --addr) to use the vault on this machine";
    }
}
