using System.Text.Json.Nodes;

namespace Keywarden.IntegrationTests.Compat;

/// <summary>@mailchimp/mailchimp_transactional, unmodified, against the sandbox (see test/compat/transactional.mjs).</summary>
public sealed class TransactionalClientCompatTests : IClassFixture<TransactionalClientFixture>
{
    private readonly CompatRun _run;

    public TransactionalClientCompatTests(TransactionalClientFixture fixture)
    {
        _run = fixture.Run;
    }

    private JsonObject Results => _run.Results;

    [Fact]
    public void UsersPingAndInfo_AnswerLikeMandrill()
    {
        Assert.Equal("PONG!", Results["ping"]!.GetValue<string>());
        var info = Results["info"]!;
        Assert.Equal(_run.Account["username"]!.GetValue<string>(), info["username"]!.GetValue<string>());
        Assert.Matches("^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8}$", info["created_at"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(info["public_id"]!.GetValue<string>()));
        Assert.Equal(0, info["backlog"]!.GetValue<int>());
        Assert.True(info["has_stats"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("send")]
    [InlineData("sendTemplate")]
    public void Send_ReturnsOneSentResultPerRecipient(string step)
    {
        var results = Results[step]!.AsArray();

        Assert.Equal(2, results.Count);
        Assert.All(results, r =>
        {
            Assert.Equal("sent", r!["status"]!.GetValue<string>());
            Assert.Matches("^[0-9a-f]{32}$", r["_id"]!.GetValue<string>());
            Assert.Null(r["reject_reason"]);
        });
        Assert.StartsWith("first.", results[0]!["email"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SentMessages_AreRecordedWithTheKeyIdAndTemplate()
    {
        var messages = await _run.Control.GetMessagesAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, messages.Count);
        Assert.All(messages, m => Assert.Equal(_run.Key["key_id"]!.GetValue<string>(), m!["key_id"]!.GetValue<string>()));
        Assert.Equal("messages/send", messages[0]!["method"]!.GetValue<string>());
        Assert.Equal("messages/send-template", messages[1]!["method"]!.GetValue<string>());
        Assert.Equal(Results["addTemplate"]!["slug"]!.GetValue<string>(), messages[1]!["template_name"]!.GetValue<string>());
        Assert.Equal("cc", messages[0]!["recipients"]![1]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void Errors_SurfaceAsTheClientsAxiosErrorWithMandrillBody()
    {
        var unknownTemplate = Results["unknownTemplate"]!;
        var invalid = Results["invalidMessage"]!;

        Assert.Equal(500, unknownTemplate["http_status"]!.GetValue<int>());
        Assert.Equal("Unknown_Template", unknownTemplate["name"]!.GetValue<string>());
        Assert.Equal("error", invalid["status"]!.GetValue<string>());
        Assert.Equal("ValidationError", invalid["name"]!.GetValue<string>());
    }

    [Fact]
    public void RevokedKey_SurfacesAsInvalidKey()
    {
        ClientErrors.AssertInvalidKey(Results["revokedKey"]!);
    }

    [Fact]
    public async Task Sandbox_RecordedEveryCallOnApi13ByKeyId_NeverTheKey()
    {
        var (text, requests) = await _run.Control.GetRequestsAsync(TestContext.Current.CancellationToken);

        Assert.All(requests, r => Assert.StartsWith("/api/1.3/", r!["path"]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.All(requests, r => Assert.Equal("POST", r!["method"]!.GetValue<string>()));
        Assert.Contains(requests, r => r!["path"]!.GetValue<string>() == "/api/1.3/users/info.json");
        Assert.Contains(requests, r => r!["path"]!.GetValue<string>() == "/api/1.3/users/ping");
        Assert.StartsWith("MailchimpTransactional-JS/", requests[0]!["headers"]!["user-agent"]!.GetValue<string>(), StringComparison.Ordinal);
        var revoked = Assert.Single(requests, r => r!["key_id"]?.GetValue<string>() == _run.RevokedKey["key_id"]!.GetValue<string>());
        Assert.Equal(500, revoked!["status"]!.GetValue<int>());
        Assert.DoesNotContain(_run.Key["key"]!.GetValue<string>(), text, StringComparison.Ordinal);
        Assert.DoesNotContain(_run.RevokedKey["key"]!.GetValue<string>(), text, StringComparison.Ordinal);
    }
}
