using System.Text.Json;
using System.Text.RegularExpressions;

namespace Keywarden.Cli.Tests.Commands;

/// <summary>
/// Every command's <c>--json</c> document has one shape: an object whose first field is <c>"version": 1</c>, instants in
/// UTC with milliseconds, no <c>""</c> (absent is null), no <c>\u0027</c>-style escapes, a key shown as
/// <c>key_prefix</c>/<c>key_name</c>, and a rate as written on the command line.
/// </summary>
public sealed partial class JsonShapeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryStateChangingAndListingCommand_PrintsOneVersionedDocumentOfTheSameShape()
    {
        await using var cli = await CliFixture.StartAsync();
        var documents = new List<(string Command, CliRun Run)>();

        async Task<JsonElement> Json(string? stdin, params string[] args)
        {
            var run = await cli.PipeAsync(stdin, [.. args, "--json"]);
            Assert.True(run.ExitCode is 0 or 1, $"{string.Join(' ', args)}: {run.All}");
            documents.Add((string.Join(' ', args), run));
            return JsonDocument.Parse(run.Out).RootElement;
        }

        await Json(null, "init");
        var (accountId, oldKeyId, key) = await cli.CreateKeyAsync("marketing");
        var added = await Json(key, "upstream", "add", "news", "--kind", "marketing", "--key-name", "it's the newsletter", "--base-url", cli.Sandbox.BaseAddress.ToString());
        var listed = await Json(null, "upstream", "list");
        var verified = await Json(null, "upstream", "verify", "news");
        var maxAge = await Json(null, "upstream", "max-age", "news", "1y");
        var issued = await Json(null, "token", "issue", "--upstream", "news", "--name", "signup", "--path", "/lists/**", "--rate", "600/min", "--expires", "1y");
        var decoy = await Json(null, "token", "decoy", "--upstream", "news", "--name", "ci variables");
        var suspended = await Json(null, "token", "suspend", issued.GetProperty("id").GetString()!, "--reason", "alert al_1 (volume)");
        var shown = await Json(null, "token", "show", issued.GetProperty("id").GetString()!);
        await Json(null, "token", "list");
        var resumed = await Json(null, "token", "resume", issued.GetProperty("id").GetString()!);
        var revoked = await Json(null, "token", "revoke", issued.GetProperty("id").GetString()!);
        var env = Path.Combine(cli.DataDirectory, "app.env");
        await File.WriteAllTextAsync(env, "MAILCHIMP_API_KEY=old\n", Ct);
        var sink = await Json(null, "sink", "add", "news", $"env:{env}#MAILCHIMP_API_KEY");
        await Json(null, "sink", "list");
        await Json(null, "rotate", "start", "news");
        var (_, _, newKey) = await cli.CreateKeyAsync("marketing", accountId: accountId);
        var submitted = await Json(newKey + "\n", "rotate", "submit", "news");
        await Json(null, "rotate", "status");
        var removedSink = await Json(null, "sink", "remove", sink.GetProperty("id").GetString()!);
        await cli.RevokeKeyAsync(oldKeyId);
        var confirmed = await Json(null, "rotate", "confirm", "news");
        await Json(null, "rotate", "start", "news");
        var aborted = await Json(null, "rotate", "abort", "news");
        var master = await Json(null, "master", "rotate");
        await Json(null, "audit", "verify");

        Assert.Equal("news", added.GetProperty("name").GetString());
        Assert.Equal("it's the newsletter", listed.GetProperty("upstreams")[0].GetProperty("key_name").GetString());
        Assert.Equal(key[..4], verified.GetProperty("key_prefix").GetString());
        Assert.Equal("it's the newsletter", verified.GetProperty("key_name").GetString());
        Assert.Equal(365, maxAge.GetProperty("max_key_age_days").GetDouble());
        Assert.Equal("600/min", issued.GetProperty("policy").GetProperty("rate").GetString());
        var expires = issued.GetProperty("policy").GetProperty("expires_at").GetDateTimeOffset();
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromDays(364), TimeSpan.FromDays(366));
        Assert.True(revoked.GetProperty("revoked").GetBoolean());
        Assert.True(decoy.GetProperty("decoy").GetBoolean());
        Assert.Equal("suspended", suspended.GetProperty("state").GetString());
        Assert.Equal("alert al_1 (volume)", shown.GetProperty("suspended").GetProperty("reason").GetString());
        Assert.Equal("active", resumed.GetProperty("state").GetString());
        Assert.Equal(newKey[..4], submitted.GetProperty("key_prefix").GetString());
        Assert.Equal("invalid", confirmed.GetProperty("old_key_status").GetString());
        Assert.True(removedSink.GetProperty("removed").GetBoolean());
        Assert.Equal("aborted", aborted.GetProperty("state").GetString());
        Assert.True(master.GetProperty("secrets_rewrapped").GetInt32() > 0);
        Assert.True(File.Exists(master.GetProperty("previous_key_file").GetString()));
        Assert.All(documents, d => AssertShape(d.Command, d.Run.Out));
    }

    [Theory]
    [InlineData("upstream", "max-age", "news", "30", "whole days with the unit, e.g. 30d")]
    [InlineData("upstream", "max-age", "news", "90m", "whole days")]
    [InlineData("upstream", "max-age", "news", "0d", "expected")]
    [InlineData("rotate", "confirm", "news", "--wait", "--interval", "0.1", "expected")]
    [InlineData("rotate", "confirm", "news", "--wait", "--interval", "5", "a duration needs a unit")]
    [InlineData("rotate", "confirm", "news", "--wait", "--interval", "2h", "between 100ms and 1h")]
    [InlineData("token", "rotate", "tok_x", "--grace", "1.5d", "expected")]
    public async Task ADurationWithoutItsUnitOrOutOfRange_IsRefusedWithTheSyntax(params string[] argsAndMessage)
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();

        var run = await cli.RunAsync(argsAndMessage[..^1]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(argsAndMessage[^1], run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task UpstreamAddMaxAge_TakesTheSameDurationSyntax()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        var (_, _, key) = await cli.CreateKeyAsync("marketing");

        var weeks = await cli.PipeAsync(key, "upstream", "add", "news", "--kind", "marketing", "--base-url", cli.Sandbox.BaseAddress.ToString(), "--max-age", "12w", "--json");
        var minutes = await cli.PipeAsync(key, "upstream", "add", "other", "--kind", "marketing", "--base-url", cli.Sandbox.BaseAddress.ToString(), "--max-age", "90m");

        Assert.Equal(84, JsonDocument.Parse(weeks.Out).RootElement.GetProperty("max_key_age_days").GetDouble());
        Assert.Equal(2, minutes.ExitCode);
        Assert.Contains("whole days", minutes.Error, StringComparison.Ordinal);
    }

    internal static void AssertShape(string command, string output)
    {
        Assert.DoesNotContain("\\u00", output, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(output);
        var root = document.RootElement;
        Assert.True(root.ValueKind == JsonValueKind.Object, $"{command}: not an object");
        var first = root.EnumerateObject().First();
        Assert.True(first.Name == "version" && first.Value.GetInt32() == 1, $"{command}: first field is {first.Name}");
        Walk(command, "$", root);
    }

    private static void Walk(string command, string path, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Assert.False(property.Name is "key" or "key_description", $"{command}: {path}.{property.Name}: a key is key_prefix and key_name");
                    if (property.Value.ValueKind == JsonValueKind.String && (property.Name.EndsWith("_at", StringComparison.Ordinal) || property.Name == "at"))
                    {
                        Assert.Matches(Timestamp(), property.Value.GetString()!);
                    }

                    Walk(command, $"{path}.{property.Name}", property.Value);
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Walk(command, $"{path}[{i++}]", item);
                }

                break;
            case JsonValueKind.String:
                Assert.False(element.GetString()!.Length == 0, $"{command}: {path} is \"\" (absent is null)");
                Assert.False(element.GetString()!.StartsWith("00:", StringComparison.Ordinal), $"{command}: {path} is a raw TimeSpan");
                break;
        }
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")]
    private static partial Regex Timestamp();
}
