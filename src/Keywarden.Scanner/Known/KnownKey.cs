namespace Keywarden.Scanner;

/// <summary>A finding that is a key Keywarden stores: the upstream to rotate, and the key's slot there.</summary>
/// <param name="Upstream">The upstream's name.</param>
/// <param name="Slot"><c>current</c>, <c>pending</c> or <c>previous</c>.</param>
public sealed record KnownKey(string Upstream, string Slot)
{
    /// <summary><c>known: upstream NAME (current key)</c>.</summary>
    public override string ToString() => $"known: upstream {Upstream} ({Slot} key)";

    /// <summary>The leak rotation the scan opened (or could not open) for this key; null when it was not asked to (<c>--no-rotate</c>).</summary>
    public LeakRotation? Rotation { get; set; }

    /// <summary>The command that replaces the leaked key: the rotation's next step once one is open.</summary>
    public string NextStep => Rotation?.NextStep ?? $"keywarden rotate start {Upstream} --reason leak";
}
