using System.Text.Json;
using System.Text.Json.Nodes;
using Keywarden.Core.Tokens;
using Keywarden.IntegrationTests.Gateway;

namespace Keywarden.IntegrationTests.Compat;

/// <summary>
/// The compat scripts, unchanged in what they check, run once against the gateway in front of the sandbox: the
/// application holds a token where the key would be (and a revoked token as its "revoked key"), and changes only the
/// base URL.
/// </summary>
public abstract class GatewayCompatFixture : IAsyncLifetime
{
    private readonly string _script;
    private readonly string _upstream;
    private readonly string _suffix;
    private GatewayFixture? _gateway;

    protected GatewayCompatFixture(string script, string upstream, string suffix)
    {
        _script = script;
        _upstream = upstream;
        _suffix = suffix;
    }

    internal GatewayFixture Gateway => _gateway ?? throw new InvalidOperationException("not initialised");

    internal string Token { get; private set; } = "";

    internal string RevokedToken { get; private set; } = "";

    internal JsonObject Output { get; private set; } = [];

    /// <summary>Output.results, after asserting the script reached its end.</summary>
    internal JsonObject Results
    {
        get
        {
            Assert.True(Output["ok"]!.GetValue<bool>(), "the script failed through the gateway: " + Output.ToJsonString());
            return Output["results"]!.AsObject();
        }
    }

    public async ValueTask InitializeAsync()
    {
        _gateway = await GatewayFixture.StartAsync();
        Token = (await _gateway.IssueAsync(_upstream)).Token.Value;
        var revoked = await _gateway.IssueAsync(_upstream);
        await _gateway.Vault.Tokens.RevokeAsync(revoked.Record.Id, TestContext.Current.CancellationToken);
        await _gateway.Gateway.RefreshTokensAsync(TestContext.Current.CancellationToken);
        RevokedToken = revoked.Token.Value;
        Output = await NodeScript.RunAsync(
            _script,
            new Dictionary<string, string>
            {
                ["KEYWARDEN_COMPAT_BASE_URL"] = _gateway.Gateway.BaseAddress.ToString(),
                ["KEYWARDEN_COMPAT_KEY"] = Token + _suffix,
                ["KEYWARDEN_COMPAT_REVOKED_KEY"] = RevokedToken + _suffix,
            },
            TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Everything the sandbox recorded, as JSON text: the token must not appear in it.</summary>
    internal string ReceivedText() => JsonSerializer.Serialize(Gateway.Received);

    internal void AssertTokensNeverReachedTheSandbox()
    {
        var text = ReceivedText();
        foreach (var token in new[] { Token, RevokedToken })
        {
            Assert.DoesNotContain(token.Substring(GatewayToken.Prefix.Length, GatewayToken.RandomLength), text, StringComparison.Ordinal);
        }
    }
}

/// <summary>marketing.mjs with a token carrying a datacenter suffix, as libraries that derive the server from the key expect.</summary>
public sealed class MarketingThroughGatewayFixture() : GatewayCompatFixture("marketing.mjs", "news", "-us21");

/// <summary>transactional.mjs with a token as the key.</summary>
public sealed class TransactionalThroughGatewayFixture() : GatewayCompatFixture("transactional.mjs", "mail", "");

/// <summary>@mailchimp/mailchimp_marketing, unmodified, through the gateway.</summary>
public sealed class MarketingClientThroughGatewayTests : IClassFixture<MarketingThroughGatewayFixture>
{
    private readonly MarketingThroughGatewayFixture _run;

    public MarketingClientThroughGatewayTests(MarketingThroughGatewayFixture run)
    {
        _run = run;
    }

    private JsonObject Results => _run.Results;

    [Fact]
    public void EveryCallOfTheClient_WorksWithATokenInsteadOfTheKey()
    {
        var account = _run.Gateway.Sandbox.State.GetAccount(_run.Gateway.MarketingKey.Info.AccountId);

        Assert.Equal("Everything's Chimpy!", Results["ping"]!["health_status"]!.GetValue<string>());
        Assert.Equal(account.AccountId, Results["root"]!["account_id"]!.GetValue<string>());
        Assert.Equal(Results["addMember"]!["expected_id"]!.GetValue<string>(), Results["addMember"]!["id"]!.GetValue<string>());
        Assert.Equal("Ada King", Results["updateMember"]!["full_name"]!.GetValue<string>());
        Assert.Equal(2, Results["listMembersPage"]!["members"]!.AsArray().Count);
        Assert.Equal("pending", Results["upsertMember"]!["status"]!.GetValue<string>());
        Assert.Equal(4, Results["membersAfterBatch"]!.GetValue<int>());
        Assert.Equal("archived", Results["deleteMember"]!["status_after"]!.GetValue<string>());
    }

    [Fact]
    public void MailchimpErrors_PassThroughTheGatewayUnchanged()
    {
        var duplicate = Results["duplicateMember"]!;
        var batch = Results["batch"]!;

        Assert.Equal((400, "application/problem+json", "Member Exists"), (duplicate["status"]!.GetValue<int>(), duplicate["type"]!.GetValue<string>(), duplicate["title"]!.GetValue<string>()));
        Assert.Equal(404, Results["deleteList"]!["status"]!.GetValue<int>());
        Assert.Equal(("finished", 3, 0), (batch["status"]!.GetValue<string>(), batch["total_operations"]!.GetValue<int>(), batch["errored_operations"]!.GetValue<int>()));
    }

    [Theory]
    [InlineData("unknownKey")]
    [InlineData("revokedKey")]
    public void BadOrRevokedToken_GetsTheSameErrorAsABadKeyFromMailchimp(string step)
    {
        var error = Results[step]!;

        Assert.Equal(401, error["status"]!.GetValue<int>());
        Assert.Equal("application/problem+json", error["type"]!.GetValue<string>());
        Assert.Equal("API Key Invalid", error["title"]!.GetValue<string>());
        Assert.Equal("Your API key may be invalid, or you've attempted to access the wrong datacenter.", error["detail"]!.GetValue<string>());
    }

    [Fact]
    public void Sandbox_ReceivedEveryAllowedCallWithTheRealKey_AndNeverATokenOrARefusedCall()
    {
        var received = _run.Gateway.Received;

        Assert.NotEmpty(received);
        Assert.All(received, r => Assert.Equal(_run.Gateway.MarketingKey.KeyId, r.KeyId));
        Assert.All(received, r => Assert.Equal("basic", r.AuthScheme));
        Assert.All(received, r => Assert.StartsWith("node-superagent", r.Headers["user-agent"], StringComparison.Ordinal));
        Assert.DoesNotContain(received, r => r.Status == 401); // the bad and revoked tokens stopped at the gateway
        var batch = Assert.Single(received, r => r is { Method: "POST", Path: "/3.0/batches" });
        Assert.Equal(["POST", "GET", "DELETE"], batch.BatchOperations.Select(o => o.Method));
        _run.AssertTokensNeverReachedTheSandbox();
    }
}

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
        var error = Results["revokedKey"]!;

        Assert.Equal(500, error["http_status"]!.GetValue<int>());
        Assert.Equal("error", error["status"]!.GetValue<string>());
        Assert.Equal(-1, error["code"]!.GetValue<int>());
        Assert.Equal("Invalid_Key", error["name"]!.GetValue<string>());
        Assert.Equal("Invalid API key", error["message"]!.GetValue<string>());
    }

    [Fact]
    public void Sandbox_ReceivedEveryCallWithTheRealKeyInTheBody_AsApi10Json_AndNeverAToken()
    {
        var received = _run.Gateway.Received;
        var sent = _run.Gateway.Sandbox.State.SentMessages;

        Assert.NotEmpty(received);
        Assert.All(received, r => Assert.Equal((_run.Gateway.TransactionalKey.KeyId, "body"), (r.KeyId, r.AuthScheme)));
        Assert.All(received, r => Assert.Matches("^/api/1\\.0/[a-z-]+/[a-z-]+\\.json$", r.Path));
        Assert.Contains(received, r => r.Path == "/api/1.0/users/info.json");
        Assert.StartsWith("MailchimpTransactional-JS/", received[0].Headers["user-agent"], StringComparison.Ordinal);
        Assert.Equal(["messages/send", "messages/send-template"], sent.Select(m => m.Method));
        Assert.All(sent, m => Assert.Equal(_run.Gateway.TransactionalKey.KeyId, m.KeyId));
        _run.AssertTokensNeverReachedTheSandbox();
    }
}
