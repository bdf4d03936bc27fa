using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Keywarden.Rotation.Tests.Sinks;

/// <summary>For generated files, a delivery changes exactly the target value's characters and nothing else.</summary>
public sealed class FileSinkPropertyTests : IDisposable
{
    private static readonly Gen<string> LineEnding = Gen.Elements("\n", "\r\n");

    private readonly SinkScratch _scratch = new();

    [Property(MaxTest = 150)]
    public Property EnvFile_OnlyTheValueChanges() =>
        Prop.ForAll(
            Arb.From(Gen.Elements("# comment", "", "OTHER=1", "export X='a b'", "Y=\"q\" # c", "  Z = 3  ", "MC_KEY_2=x").ListOf()),
            Arb.From(Gen.Elements("MC_KEY={v}", "export MC_KEY=\"{v}\"", "MC_KEY='{v}' # note", "  MC_KEY = {v}  # x").Zip(Gen.Elements("old-value", ""))
                .Where(t => !(t.Item2.Length == 0 && t.Item1.StartsWith("  ", StringComparison.Ordinal)))), // an empty value before a comment: see EnvFileSinkTests
            Arb.From(LineEnding.Zip(ArbMap.Default.GeneratorFor<bool>().Two())),
            (others, target, format) => Delivers(".env", "env", "MC_KEY", target.Item1, target.Item2, format, others));

    [Property(MaxTest = 150)]
    public Property YamlFile_OnlyTheValueChanges() =>
        Prop.ForAll(
            Arb.From(Gen.Elements("# comment", "", "other: 1", "list:", "  - a", "  - b: c", "note: |", "  api: text", "x: [1, 2]").ListOf()),
            Arb.From(Gen.Elements("  key: {v}", "  key: \"{v}\"", "  'key': '{v}' # note", "  key:   {v}   # x")),
            Arb.From(LineEnding.Zip(ArbMap.Default.GeneratorFor<bool>().Two())),
            (others, target, format) => Delivers("c.yaml", "yaml", "mc.key", target, "old", format, [.. others, "mc:", "  # the key", "__TARGET__", "  after: 1"]));

    public void Dispose() => _scratch.Dispose();

    private bool Delivers(string file, string scheme, string selector, string target, string old, (string Newline, (bool Bom, bool FinalNewline)) format, IList<string> others)
    {
        var (newline, (bom, finalNewline)) = format;
        var key = SinkScratch.NewKey();
        string Render(string value)
        {
            var line = target.Replace("{v}", value, StringComparison.Ordinal);
            var lines = others.Contains("__TARGET__") ? others.Select(l => l == "__TARGET__" ? line : l) : others.Prepend(line);
            return (bom ? "\uFEFF" : "") + string.Join(newline, lines) + (finalNewline ? newline : "");
        }

        var path = _scratch.File(file, Render(old));
        SinkScratch.DeliverAsync($"{scheme}:{path}#{selector}", key).GetAwaiter().GetResult();
        return File.ReadAllBytes(path).SequenceEqual(Encoding.UTF8.GetBytes(Render(key.Value)));
    }
}
