using System.Text.Json.Nodes;

namespace Keywarden.IntegrationTests.Compat;

/// <summary>@mailchimp/mailchimp_transactional, unmodified, through the gateway.</summary>
public sealed class TransactionalClientThroughGatewayTests : IClassFixture<TransactionalThroughGatewayFixture>
{
    private readonly TransactionalThroughGatewayFixture _run;

    public TransactionalClientThroughGatewayTests(TransactionalThroughGatewayFixture run)
    {
        _run = run;
    }

    private JsonObject Results => _run.Results;

    [Fact]
    public void EveryCallOfTheClient_WorksWithATokenInsteadOfTheKey()
    {
        Assert.Equal("PONG!", Results["ping"]!.GetValue<string>());
        Assert.True(Results["info"]!["has_stats"]!.GetValue<bool>());
        Assert.All(Results["send"]!.AsArray(), r => Assert.Equal("sent", r!["status"]!.GetValue<string>()));
        Assert.All(Results["sendTemplate"]!.AsArray(), r => Assert.Equal("sent", r!["status"]!.GetValue<string>()));
        Assert.Equal(2, Results["sendTemplate"]!.AsArray().Count);
    }

    [Fact]
    public void MandrillErrors_PassThroughTheGatewayUnchanged()
    {
        Assert.Equal((500, "Unknown_Template"), (Results["unknownTemplate"]!["http_status"]!.GetValue<int>(), Results["unknownTemplate"]!["name"]!.GetValue<string>()));
        Assert.Equal("ValidationError", Results["invalidMessage"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void RevokedToken_GetsTheSameErrorAsARevokedKeyFromMailchimp()
    {
        ClientErrors.AssertInvalidKey(Results["revokedKey"]!);
    }

    [Fact]
    public void Sandbox_ReceivedEveryCallWithTheRealKeyInTheBody_AsApi10Json_AndNeverAToken()
    {
        var received = _run.Host.Received;
        var sent = _run.Host.Sandbox.State.SentMessages;

        Assert.NotEmpty(received);
        Assert.All(received, r => Assert.Equal((_run.Host.TransactionalKey.KeyId, "body"), (r.KeyId, r.AuthScheme)));
        Assert.All(received, r => Assert.Matches("^/api/1\\.0/[a-z-]+/[a-z-]+\\.json$", r.Path));
        Assert.Contains(received, r => r.Path == "/api/1.0/users/info.json");
        Assert.StartsWith("MailchimpTransactional-JS/", received[0].Headers["user-agent"], StringComparison.Ordinal);
        Assert.Equal(["messages/send", "messages/send-template"], sent.Select(m => m.Method));
        Assert.All(sent, m => Assert.Equal(_run.Host.TransactionalKey.KeyId, m.KeyId));
        _run.AssertTokensNeverReachedTheSandbox();
    }
}
