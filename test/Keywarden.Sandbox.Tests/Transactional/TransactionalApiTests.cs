using System.Text;
using System.Text.Json.Nodes;

namespace Keywarden.Sandbox.Tests.Transactional;

public sealed class TransactionalApiTests
{
    [Theory]
    [InlineData("1.0", ".json")]
    [InlineData("1.3", ".json")]
    [InlineData("1.0", "")]
    [InlineData("1.3", "")]
    public async Task UsersPing_WithValidKey_ReturnsPong(string version, string suffix)
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var reply = await sandbox.TransactionalAsync("users/ping", [], version, suffix);

        Assert.Equal(200, reply.Status);
        Assert.Equal("\"PONG!\"", reply.Text);
        var recorded = Assert.Single(sandbox.State.Requests);
        Assert.Equal("transactional", recorded.Api);
        Assert.Equal(sandbox.TransactionalKey.KeyId, recorded.KeyId);
        Assert.Equal("body", recorded.AuthScheme);
    }

    [Fact]
    public async Task UsersPing_WithFormEncodedBody_ReturnsPong()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var content = new FormUrlEncodedContent([new("key", sandbox.TransactionalKey.Key)]);

        using var response = await sandbox.Http.PostAsync("api/1.0/users/ping.json", content, SandboxHarness.Ct);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("\"PONG!\"", await response.Content.ReadAsStringAsync(SandboxHarness.Ct));
    }

    [Fact]
    public async Task MessagesSend_WithFormEncodedNestedFields_SendsToEachRecipient()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var content = new FormUrlEncodedContent(
        [
            new("key", sandbox.TransactionalKey.Key),
            new("message[subject]", "Hi"),
            new("message[from_email]", "app@acme.example"),
            new("message[to][0][email]", "a@example.com"),
            new("message[to][1][email]", "b@example.com"),
            new("message[to][1][type]", "cc"),
        ]);

        using var response = await sandbox.Http.PostAsync("api/1.0/messages/send.json", content, SandboxHarness.Ct);

        var results = JsonNode.Parse(await response.Content.ReadAsStringAsync(SandboxHarness.Ct))!.AsArray();
        Assert.Equal(["a@example.com", "b@example.com"], results.Select(r => r!["email"]!.GetValue<string>()));
        Assert.Equal("cc", Assert.Single(sandbox.State.SentMessages).Recipients[1].Type);
    }

    [Fact]
    public async Task UsersPing_WithRevokedKey_Returns500InvalidKey()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        sandbox.State.RevokeKey(sandbox.TransactionalKey.KeyId);

        var reply = await sandbox.TransactionalAsync("users/ping", []);

        Assert.Equal(500, reply.Status);
        Assert.Equal("error", reply.String("status"));
        Assert.Equal(-1, reply.Json!["code"]!.GetValue<int>());
        Assert.Equal("Invalid_Key", reply.String("name"));
        Assert.Equal("Invalid API key", reply.String("message"));
        Assert.Equal(sandbox.TransactionalKey.KeyId, sandbox.State.Requests[^1].KeyId);
    }

    [Fact]
    public async Task UsersPing_WithCurrentStatusCodes_Returns401ForInvalidKey()
    {
        await using var sandbox = await SandboxHarness.StartAsync(o => o.TransactionalErrorStatusCodes = TransactionalErrorStatusCodes.Current);

        var invalidKey = await sandbox.TransactionalAsync("users/ping", [], key: "md-AAAAAAAAAAAAAAAAAAAAAA");
        var invalidMessage = await sandbox.TransactionalAsync("messages/send", []);

        Assert.Equal(401, invalidKey.Status);
        Assert.Equal("Invalid_Key", invalidKey.String("name"));
        Assert.Equal(400, invalidMessage.Status);
        Assert.Equal("ValidationError", invalidMessage.String("name"));
    }

    [Fact]
    public async Task UsersPing_WithoutKeyOrWithMarketingKey_ReturnsInvalidKey()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var noKey = new HttpRequestMessage(HttpMethod.Post, "api/1.0/users/ping.json") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };

        var missing = await sandbox.SendAsync(noKey);
        var marketing = await sandbox.TransactionalAsync("users/ping", [], key: sandbox.MarketingKey.Key);

        Assert.Equal("Invalid_Key", missing.String("name"));
        Assert.Equal("You must specify a key value", missing.String("message"));
        Assert.Equal(500, marketing.Status);
        Assert.Equal("Invalid_Key", marketing.String("name"));
    }

    [Fact]
    public async Task UnknownMethod_ReturnsUnknownMethodError()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var reply = await sandbox.TransactionalAsync("users/teleport", []);

        Assert.Equal(500, reply.Status);
        Assert.Equal("Unknown_Method", reply.String("name"));
        Assert.Equal(-1, reply.Json!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Get_IsRefusedWith405()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        using var response = await sandbox.Http.GetAsync("api/1.0/users/ping.json", SandboxHarness.Ct);

        Assert.Equal(405, (int)response.StatusCode);
        Assert.Equal(["POST"], response.Content.Headers.Allow);
    }

    [Fact]
    public async Task UsersInfo_ReturnsTheAccountAndCountsSentMessages()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.TransactionalAsync("messages/send", Message("a@example.com", "b@example.com"));

        var reply = await sandbox.TransactionalAsync("users/info", []);

        Assert.Equal(200, reply.Status);
        Assert.Equal(sandbox.Account.Username, reply.String("username"));
        Assert.Matches("^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$", reply.String("created_at"));
        Assert.NotNull(reply.String("public_id"));
        Assert.NotNull(reply.Json!["reputation"]);
        Assert.NotNull(reply.Json!["hourly_quota"]);
        Assert.Equal(0, reply.Json!["backlog"]!.GetValue<int>());
        Assert.Equal(2, reply.Json!["stats"]!["all_time"]!["sent"]!.GetValue<int>());
        Assert.Equal(2, reply.Json!["stats"]!["today"]!["sent"]!.GetValue<int>());
    }

    [Fact]
    public async Task MessagesSend_ReturnsOneResultPerRecipientAndRecordsTheMessage()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var reply = await sandbox.TransactionalAsync("messages/send", Message("a@example.com", "broken-address"));

        var results = reply.Json!.AsArray();
        Assert.Equal(2, results.Count);
        Assert.Equal("a@example.com", results[0]!["email"]!.GetValue<string>());
        Assert.Equal("sent", results[0]!["status"]!.GetValue<string>());
        Assert.Matches("^[0-9a-f]{32}$", results[0]!["_id"]!.GetValue<string>());
        Assert.Null(results[0]!["reject_reason"]);
        Assert.True(results[0]!.AsObject().ContainsKey("reject_reason"));
        Assert.Equal("invalid", results[1]!["status"]!.GetValue<string>());
        var sent = Assert.Single(sandbox.State.SentMessages);
        Assert.Equal("messages/send", sent.Method);
        Assert.Equal("Hello", sent.Subject);
        Assert.Equal(sandbox.TransactionalKey.KeyId, sent.KeyId);
        Assert.Equal(results[0]!["_id"]!.GetValue<string>(), sent.Recipients[0].MessageId);
    }

    [Fact]
    public async Task MessagesSend_WithoutRecipients_ReturnsValidationError()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var reply = await sandbox.TransactionalAsync("messages/send", new JsonObject { ["message"] = new JsonObject { ["subject"] = "x" } });

        Assert.Equal(500, reply.Status);
        Assert.Equal("ValidationError", reply.String("name"));
        Assert.Equal(-2, reply.Json!["code"]!.GetValue<int>());
        Assert.StartsWith("Validation error: ", reply.String("message"), StringComparison.Ordinal);
        Assert.Empty(sandbox.State.SentMessages);
    }

    [Fact]
    public async Task SendTemplate_NeedsAnExistingTemplate()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var body = Message("a@example.com");
        body["template_name"] = "Welcome Email";
        body["template_content"] = new JsonArray();

        var unknown = await sandbox.TransactionalAsync("messages/send-template", body.DeepClone().AsObject());
        var added = await sandbox.TransactionalAsync("templates/add", new JsonObject { ["name"] = "Welcome Email", ["code"] = "<p>Hi</p>" });
        var sent = await sandbox.TransactionalAsync("messages/send-template", body);

        Assert.Equal("Unknown_Template", unknown.String("name"));
        Assert.Equal("welcome-email", added.String("slug"));
        Assert.Equal("sent", sent.Json![0]!["status"]!.GetValue<string>());
        Assert.Equal("Welcome Email", Assert.Single(sandbox.State.SentMessages).TemplateName);
    }

    [Fact]
    public async Task PhpSuffix_AnswersPhpSerializedValue()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var ping = await sandbox.TransactionalAsync("users/ping2", [], suffix: ".php");

        Assert.Equal(200, ping.Status);
        Assert.Equal("a:1:{s:4:\"PING\";s:5:\"PONG!\";}", ping.Text);
    }

    [Fact]
    public async Task YamlSuffix_AnswersJsonTextWhichIsYaml_AndXmlIsRefused()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var yaml = await sandbox.TransactionalAsync("users/ping", [], suffix: ".yaml");
        var xml = await sandbox.TransactionalAsync("users/ping", [], suffix: ".xml");

        Assert.Equal("application/x-yaml", yaml.MediaType);
        Assert.Equal("\"PONG!\"", yaml.Text);
        Assert.Equal("ValidationError", xml.String("name"));
    }

    private static JsonObject Message(params string[] recipients) => new()
    {
        ["message"] = new JsonObject
        {
            ["subject"] = "Hello",
            ["from_email"] = "app@acme.example",
            ["html"] = "<p>Hello</p>",
            ["to"] = new JsonArray([.. recipients.Select(r => (JsonNode)new JsonObject { ["email"] = r, ["type"] = "to" })]),
        },
    };
}
