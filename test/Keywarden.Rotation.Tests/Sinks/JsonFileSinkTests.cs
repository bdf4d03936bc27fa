using System.Text;

namespace Keywarden.Rotation.Tests.Sinks;

public sealed class JsonFileSinkTests : IDisposable
{
    private readonly SinkScratch _scratch = new();

    [Fact]
    public async Task Deliver_NestedPath_ReplacesOnlyThatStringAndKeepsFormatting()
    {
        var key = SinkScratch.NewKey();
        const string Template = """
            {
              // comments are tolerated
              "name":"app",   "escaped": "a\"b\u00e9",
              "mailchimp" : {
                  "api_key" : "{value}",
                  "list": [ {"api_key": "not this one"} ],
                  "other": { "api_key": "nor this" },
              },
              "api_key": "nor this either"
            }
            """;
        var path = _scratch.File("config.json", Template.Replace("{value}", "old\\u0041", StringComparison.Ordinal).ReplaceLineEndings("\r\n"));

        await SinkScratch.DeliverAsync($"json:{path}#mailchimp.api_key", key);

        Assert.Equal(Template.Replace("{value}", key.Value, StringComparison.Ordinal).ReplaceLineEndings("\r\n"), SinkScratch.Read(path));
        Assert.Empty(_scratch.Leftovers("config.json"));
    }

    [Fact]
    public async Task Deliver_WithBomAndNoFinalNewline_KeepsBoth()
    {
        var key = SinkScratch.NewKey();
        var path = _scratch.File("c.json", "\uFEFF{\"k\":\"é\"}");

        await SinkScratch.DeliverAsync($"json:{path}#k", key);

        Assert.Equal([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes($"{{\"k\":\"{key.Value}\"}}")], File.ReadAllBytes(path));
    }

    [Fact]
    public async Task Deliver_MissingProperty_FailsNamingFileAndPath()
    {
        var path = _scratch.File("c.json", """{"mailchimp": {"key": "x"}}""");

        var message = await SinkScratch.RefusedAsync($"json:{path}#mailchimp.api_key", path, SinkScratch.NewKey());

        Assert.Contains(path, message, StringComparison.Ordinal);
        Assert.Contains("no property mailchimp.api_key", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"a": {"k": 12}}""", "a number")]
    [InlineData("""{"a": {"k": {"x": "y"}}}""", "an object")]
    [InlineData("""{"a": {"k": null}}""", "null")]
    public async Task Deliver_TargetNotAString_IsRefused(string json, string what)
    {
        var path = _scratch.File("c.json", json);

        var message = await SinkScratch.RefusedAsync($"json:{path}#a.k", path, SinkScratch.NewKey());

        Assert.Contains($"a.k in {path} is {what}, not a string", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_DuplicateProperty_IsRefused()
    {
        var path = _scratch.File("c.json", """{"k": "a", "k": "b"}""");

        var message = await SinkScratch.RefusedAsync($"json:{path}#k", path, SinkScratch.NewKey());

        Assert.Contains("2 times", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_UnparseableFile_IsRefusedWithItsPosition()
    {
        var old = SinkScratch.NewKey().Value;
        var path = _scratch.File("c.json", $"{{\n\"k\": {old}\n}}");

        var message = await SinkScratch.RefusedAsync($"json:{path}#k", path, SinkScratch.NewKey());

        Assert.Contains("is not valid JSON (line 2", message, StringComparison.Ordinal);
        Assert.DoesNotContain(old[..4], message, StringComparison.Ordinal);
    }

    public void Dispose() => _scratch.Dispose();
}
