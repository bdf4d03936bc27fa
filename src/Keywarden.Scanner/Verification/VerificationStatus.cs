namespace Keywarden.Scanner;

/// <summary>What the upstream said about a found key (<c>--verify</c>).</summary>
public enum VerificationStatus
{
    /// <summary>The upstream accepted the key: it works for whoever found it.</summary>
    Active,

    /// <summary>The upstream refused the key (401 / Invalid_Key).</summary>
    Revoked,

    /// <summary>No answer that says either: network error, timeout, 5xx, or a rule that has no upstream (Keywarden tokens).</summary>
    Unknown,
}
