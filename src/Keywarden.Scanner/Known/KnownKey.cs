namespace Keywarden.Scanner;

/// <summary>A finding that is a key Keywarden stores: the upstream to rotate, and whether it is that upstream's current key.</summary>
public sealed record KnownKey(string Upstream, bool IsCurrent)
{
    /// <summary><c>known: upstream NAME (current key)</c>.</summary>
    public override string ToString() => $"known: upstream {Upstream} ({(IsCurrent ? "current" : "previous")} key)";

    /// <summary>The command that replaces the leaked key.</summary>
    public string NextStep => $"keywarden rotate start {Upstream} --reason leak";
}
