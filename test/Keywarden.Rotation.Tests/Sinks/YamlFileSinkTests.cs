namespace Keywarden.Rotation.Tests.Sinks;

public sealed class YamlFileSinkTests : IDisposable
{
    private readonly SinkScratch _scratch = new();

    [Theory]
    [InlineData("{value}")]
    [InlineData("\"{value}\"")]
    [InlineData("'{value}'")]
    public async Task Deliver_NestedScalar_KeepsEverythingElseAndItsQuoting(string style)
    {
        var key = SinkScratch.NewKey();
        const string Template = """
            ---
            # settings
            name: app
            api_key: top level, not this
            mailchimp:
              servers: [a, b]
              notes: |
                api_key: inside a block scalar, not this
              lists:
                - api_key: in a sequence, not this
                  id: 1
              "api_key":   {value}   # rotated by keywarden
              after: x
            tail: y

            """;
        var path = _scratch.File("c.yaml", Template.Replace("{value}", style.Replace("{value}", "old", StringComparison.Ordinal), StringComparison.Ordinal));

        await SinkScratch.DeliverAsync($"yaml:{path}#mailchimp.api_key", key);

        Assert.Equal(Template.Replace("{value}", style.Replace("{value}", key.Value, StringComparison.Ordinal), StringComparison.Ordinal), SinkScratch.Read(path));
        Assert.Empty(_scratch.Leftovers("c.yaml"));
    }

    [Fact]
    public async Task Deliver_CrlfFile_KeepsCrlf()
    {
        var key = SinkScratch.NewKey();
        var path = _scratch.File("c.yaml", "a:\r\n  b: 'x'\r\n  c: 1\r\n");

        await SinkScratch.DeliverAsync($"yaml:{path}#a.b", key);

        Assert.Equal($"a:\r\n  b: '{key.Value}'\r\n  c: 1\r\n", SinkScratch.Read(path));
    }

    [Theory]
    [InlineData("a:\n  b: [x, y]\n", "flow style")]
    [InlineData("a:\n  b: {x: 1}\n", "flow style")]
    [InlineData("a:\n  b: |\n    x\n", "block (multi-line) scalar")]
    [InlineData("a:\n  b: >-\n    x\n", "block (multi-line) scalar")]
    [InlineData("a:\n  b: first\n    second\n", "multi-line scalar")]
    [InlineData("a:\n  b: \"first\n    second\"\n", "spans lines")]
    [InlineData("a:\n  b: !secret x\n", "tag")]
    [InlineData("base: &base\n  b: x\na:\n  <<: *base\n", "anchors or aliases")]
    [InlineData("a:\n  <<: {b: x}\n", "merge key")]
    [InlineData("a:\n  b: *ref\n", "anchors or aliases")]
    [InlineData("a:\n  b:\n    c: x\n", "is a mapping, not a scalar")]
    [InlineData("a:\n  b:\nc: 1\n", "has no value")]
    [InlineData("a:\n  b: # later\n", "has no value")]
    [InlineData("a:\n\tb: x\n", "tab")]
    [InlineData("a: 1\n---\na: 2\n", "several documents")]
    [InlineData("[a, b]\n", "flow style")]
    [InlineData("a:\n  just some text\n", "not a 'key: value'")]
    public async Task Deliver_UnsupportedYaml_IsRefusedSayingWhy(string yaml, string why)
    {
        var path = _scratch.File("c.yaml", yaml);

        var message = await SinkScratch.RefusedAsync($"yaml:{path}#a.b", path, SinkScratch.NewKey());

        Assert.Contains(why, message, StringComparison.Ordinal);
        Assert.Contains(path, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a:\n  c: x\nb: y\n")]
    [InlineData("b: x\n")]
    [InlineData("a:\n- b: x\n")]
    public async Task Deliver_MissingKey_FailsNamingFileAndPath(string yaml)
    {
        var path = _scratch.File("c.yaml", yaml);

        var message = await SinkScratch.RefusedAsync($"yaml:{path}#a.b", path, SinkScratch.NewKey());

        Assert.Contains($"{path} has no key a.b", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_KeyTwice_IsRefused()
    {
        var path = _scratch.File("c.yaml", "a:\n  b: x\n  b: y\n");

        var message = await SinkScratch.RefusedAsync($"yaml:{path}#a.b", path, SinkScratch.NewKey());

        Assert.Contains("2 times", message, StringComparison.Ordinal);
    }

    public void Dispose() => _scratch.Dispose();
}
