namespace Keywarden.Scanner;

/// <summary>
/// A finding that is a decoy token of Keywarden's (<c>token decoy</c>): planted on purpose, so nothing to rotate. Its use is
/// what the gateway watches for; finding it in code only says where it is planted.
/// </summary>
/// <param name="TokenId">The decoy's accessor id (<c>tok_…</c>).</param>
/// <param name="Name">Its label, e.g. where it was meant to be planted.</param>
public sealed record KnownDecoy(string TokenId, string Name)
{
    /// <summary><c>decoy token tok_… (planted on purpose)</c>.</summary>
    public override string ToString() => $"decoy token {TokenId} (planted on purpose)";
}
