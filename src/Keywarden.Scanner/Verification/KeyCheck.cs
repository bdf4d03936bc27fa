namespace Keywarden.Scanner;

/// <summary>The result of checking one found key against its upstream; <see cref="Detail"/> never holds the key.</summary>
public sealed record KeyCheck(VerificationStatus Status, string? Detail = null)
{
    /// <summary><c>active</c>, <c>revoked</c> or <c>unknown</c>.</summary>
    public string StatusName => Status.ToString().ToLowerInvariant();

    public override string ToString() => Detail is null ? $"verified: {StatusName}" : $"verified: {StatusName} ({Detail})";
}
