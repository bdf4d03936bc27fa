namespace Keywarden.Scanner;

/// <summary>A finding that is a key Keywarden stores: the upstream to rotate, and the key's slot there.</summary>
/// <param name="Upstream">The upstream's name.</param>
/// <param name="Slot"><c>current</c>, <c>pending</c> or <c>previous</c>.</param>
public sealed record KnownKey(string Upstream, string Slot)
{
    /// <summary><c>known: upstream NAME (current key)</c>.</summary>
    public override string ToString() => $"known: upstream {Upstream} ({Slot} key)";

    /// <summary>The command that replaces the leaked key.</summary>
    public string NextStep => $"keywarden rotate start {Upstream} --reason leak";
}
