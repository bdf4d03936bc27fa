using System.CommandLine;

namespace Keywarden.Cli.Configuration;

/// <summary>An option's value found outside the command line, and where it was found (for the error that refuses it).</summary>
/// <param name="Option">The option it sets.</param>
/// <param name="Values">Its value, or values for a repeatable option.</param>
/// <param name="Source">Where it came from: <c>KEYWARDEN_LISTEN</c>, or <c>"listen" in /etc/keywarden/config.json</c>.</param>
internal sealed record ConfigSetting(Option Option, IReadOnlyList<string> Values, string Source)
{
    /// <summary>The tokens the operator would have typed: <c>--listen=URL</c> once per value.</summary>
    public IEnumerable<string> Tokens => Values.Select(v => $"{Option.Name}={v}");
}
