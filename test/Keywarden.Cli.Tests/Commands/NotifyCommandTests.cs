using System.Text.Json;
using Keywarden.Notifications;
using Keywarden.Testing;

namespace Keywarden.Cli.Tests.Commands;

public sealed class NotifyCommandTests : CliTestBase
{
    [Fact]
    public async Task AddWebhook_PrintsTheSecretOnce_ListShowsTheUrlWithoutItsPath_TestDeliversSigned()
    {
        await Cli.InitAsync();
        await using var receiver = await WebhookReceiver.StartAsync();

        var add = await Cli.RunAsync("notify", "add", "webhook", receiver.Url.AbsoluteUri, "--min-severity", "critical", "--json");
        var added = JsonDocument.Parse(add.Out).RootElement;
        var id = added.GetProperty("id").GetString()!;
        var secret = added.GetProperty("signing_secret").GetString()!;
        var list = await Cli.RunAsync("notify", "list", "--json");
        var table = await Cli.RunAsync("notify", "list");
        var test = await Cli.RunAsync("notify", "test", id);

        Assert.Equal(0, add.ExitCode);
        Assert.StartsWith("kwwh_", secret, StringComparison.Ordinal);
        var row = JsonDocument.Parse(list.Out).RootElement.GetProperty("targets")[0];
        Assert.Equal((id, "generic", "critical"), (row.GetProperty("id").GetString(), row.GetProperty("format").GetString(), row.GetProperty("min_severity").GetString()));
        Assert.Equal(receiver.Url.GetLeftPart(UriPartial.Authority) + "/…", row.GetProperty("url").GetString());
        Assert.Contains(id, table.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, list.All + table.All + test.All, StringComparison.Ordinal);
        Assert.DoesNotContain("FAKE-secret-path", add.All + list.All + table.All + test.All, StringComparison.Ordinal);
        Assert.Equal(0, test.ExitCode);
        Assert.Contains($"Delivered a test alert to {id}", test.Out, StringComparison.Ordinal);
        var received = Assert.Single(receiver.Received);
        Assert.True(WebhookSignature.Verify(secret, received.Headers[WebhookSignature.Header], received.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task AddWebhook_ReadsTheUrlFromStdin_SoASlackUrlStaysOutOfArgv()
    {
        await Cli.InitAsync();

        var add = await Cli.PipeAsync("https://hooks.slack.test/services/T000/B000/FAKEpart\n", "notify", "add", "webhook", "-", "--format", "slack");
        var list = await Cli.RunAsync("notify", "list", "--json");

        Assert.Equal(0, add.ExitCode);
        Assert.DoesNotContain("Signing secret", add.Out, StringComparison.Ordinal);
        var row = JsonDocument.Parse(list.Out).RootElement.GetProperty("targets")[0];
        Assert.Equal(("slack", "warning", "https://hooks.slack.test/…"), (row.GetProperty("format").GetString(), row.GetProperty("min_severity").GetString(), row.GetProperty("url").GetString()));
    }

    [Theory]
    [InlineData("ftp://hooks.example.test/x", "only http and https")]
    [InlineData("not a url", "not an absolute URL")]
    public async Task AddWebhook_NotAnHttpUrl_IsRefusedWithExitCode2(string url, string why)
    {
        await Cli.InitAsync();

        var add = await Cli.RunAsync("notify", "add", "webhook", url);
        var list = await Cli.RunAsync("notify", "list", "--json");

        Assert.Equal(2, add.ExitCode);
        Assert.Contains(why, add.Error, StringComparison.Ordinal);
        Assert.Equal(0, JsonDocument.Parse(list.Out).RootElement.GetProperty("targets").GetArrayLength());
    }

    [Fact]
    public async Task TestAndRemove_OfAnUnknownWebhook_SayWhereToLook()
    {
        await Cli.InitAsync();

        var test = await Cli.RunAsync("notify", "test", "nt_nothing");
        var remove = await Cli.RunAsync("notify", "remove", "nt_nothing");

        Assert.Equal((2, 2), (test.ExitCode, remove.ExitCode));
        Assert.Contains("no webhook with id 'nt_nothing' (see 'keywarden notify list')", test.Error + remove.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_ToAReceiverThatRefuses_SaysWhyAndExits1()
    {
        await Cli.InitAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Status = 403;
        var add = await Cli.RunAsync("notify", "add", "webhook", receiver.Url.AbsoluteUri, "--json");
        var id = JsonDocument.Parse(add.Out).RootElement.GetProperty("id").GetString()!;

        var test = await Cli.RunAsync("notify", "test", id);
        var remove = await Cli.RunAsync("notify", "remove", id);

        Assert.Equal(1, test.ExitCode);
        Assert.Contains("the receiver answered HTTP 403", test.Error, StringComparison.Ordinal);
        Assert.Equal(0, remove.ExitCode);
    }

    [Fact]
    public async Task AlertsShow_SaysWhereTheAlertWasSent_AndHowFarItGot()
    {
        await Cli.InitAsync();
        var add = await Cli.RunAsync("notify", "add", "webhook", "https://hooks.example.test/FAKE-path", "--min-severity", "info", "--json");
        var target = JsonDocument.Parse(add.Out).RootElement.GetProperty("id").GetString()!;
        var ids = await AlertSeed.RaiseAsync(Cli, AlertSeed.Raise("decoy", Core.Monitoring.AlertSeverity.Critical, "tok_7gq2m0x4k9c1", DateTimeOffset.UtcNow, "decoy used"));
        await AlertSeed.QueueAndFailAsync(Cli, ids[0], "the receiver answered HTTP 503", new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));

        var show = await Cli.RunAsync("alerts", "show", ids[0]);
        var json = await Cli.RunAsync("alerts", "show", ids[0], "--json");

        Assert.Matches(
            $@"notified: +{target} https://hooks\.example\.test/…: not yet delivered \(1 attempt; last: the receiver answered HTTP 503\); next try 2030-01-02 03:04:05Z",
            show.Out);
        var delivery = JsonDocument.Parse(json.Out).RootElement.GetProperty("deliveries")[0];
        Assert.Equal((target, "pending", 1), (delivery.GetProperty("target_id").GetString(), delivery.GetProperty("state").GetString(), delivery.GetProperty("attempts").GetInt32()));
        Assert.Equal("critical", JsonDocument.Parse(json.Out).RootElement.GetProperty("severity").GetString());
    }
}
