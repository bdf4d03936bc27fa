using System.Text.Json.Nodes;

namespace Keywarden.IntegrationTests.Compat;

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
        var account = _run.Host.Sandbox.State.GetAccount(_run.Host.MarketingKey.Info.AccountId);

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
        ClientErrors.AssertApiKeyInvalid(Results[step]!);
    }

    [Fact]
    public void Sandbox_ReceivedEveryAllowedCallWithTheRealKey_AndNeverATokenOrARefusedCall()
    {
        var received = _run.Host.Received;

        Assert.NotEmpty(received);
        Assert.All(received, r => Assert.Equal(_run.Host.MarketingKey.KeyId, r.KeyId));
        Assert.All(received, r => Assert.Equal("basic", r.AuthScheme));
        Assert.All(received, r => Assert.StartsWith("node-superagent", r.Headers["user-agent"], StringComparison.Ordinal));
        Assert.DoesNotContain(received, r => r.Status == 401); // the bad and revoked tokens stopped at the gateway
        var batch = Assert.Single(received, r => r is { Method: "POST", Path: "/3.0/batches" });
        Assert.Equal(["POST", "GET", "DELETE"], batch.BatchOperations.Select(o => o.Method));
        _run.AssertTokensNeverReachedTheSandbox();
    }
}
