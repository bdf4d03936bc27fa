namespace Keywarden.Scanner;

/// <summary>The commit that introduced a finding's blob at its path: the first in history (parents before children).</summary>
public sealed record GitCommit(string Sha, string Author, string Email, DateTimeOffset Date)
{
    /// <summary>The first 12 hex digits, for people.</summary>
    public string ShortSha => Sha.Length > 12 ? Sha[..12] : Sha;
}
