using System.Security.Cryptography;
using System.Text;
using Keywarden.Core.Keys;

namespace Keywarden.Scanner;

/// <summary>
/// One secret occurrence. Lines and columns are 1-based; columns count UTF-16 code units of the decoded line.
/// <see cref="ToString"/> and <see cref="Redacted"/> never show the secret.
/// </summary>
public sealed class Finding
{
    internal Finding(string ruleId, string path, long line, long column, string secret)
    {
        RuleId = ruleId;
        Path = path;
        Line = line;
        Column = column;
        Secret = secret;
        Fingerprint = ComputeFingerprint(ruleId, secret);
    }

    public string RuleId { get; }

    /// <summary>The file as given or found under a target, with '/' separators; <c>-</c> for stdin.</summary>
    public string Path { get; }

    public long Line { get; }

    public long Column { get; }

    /// <summary>With <c>--git</c>: the commit that put the secret's blob at <see cref="Path"/> first; otherwise null.</summary>
    public GitCommit? Commit { get; internal init; }

    /// <summary>The stored key this secret is, when a Keywarden data directory was given and holds it.</summary>
    public KnownKey? Known { get; internal set; }

    /// <summary>The decoy this Keywarden token is, when a data directory was given and issued it: planted on purpose, no rotation.</summary>
    public KnownDecoy? Decoy { get; internal set; }

    /// <summary>With <c>--verify</c>: what the upstream said about the secret.</summary>
    public KeyCheck? Verification { get; internal set; }

    /// <summary>Lower-case hex SHA-256 of the secret alone: what Keywarden's store keeps to recognise a key.</summary>
    internal string KeySha256 => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Secret)));

    /// <summary>Lower-case hex SHA-256 of <c>rule id + ':' + secret</c>: stable across moves and edits, what a baseline lists.</summary>
    public string Fingerprint { get; }

    /// <summary>First four characters, an ellipsis and the length.</summary>
    public string Redacted => KeyDisplay.Redact(Secret);

    /// <summary>The secret itself: only for <c>--no-redact</c>.</summary>
    public string Secret { get; }

    public string Display(bool redact) => redact ? Redacted : Secret;

    public override string ToString() => $"{Path}:{Line}:{Column} {RuleId} {Redacted}";

    internal static string ComputeFingerprint(string ruleId, string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ruleId + ":" + secret)));
}
