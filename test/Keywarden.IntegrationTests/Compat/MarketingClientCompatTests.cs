using System.Text.Json.Nodes;

namespace Keywarden.IntegrationTests.Compat;

/// <summary>@mailchimp/mailchimp_marketing, unmodified, against the sandbox (see test/compat/marketing.mjs).</summary>
public sealed class MarketingClientCompatTests : IClassFixture<MarketingClientFixture>
{
    private readonly CompatRun _run;

    public MarketingClientCompatTests(MarketingClientFixture fixture)
    {
        _run = fixture.Run;
    }

    private JsonObject Results => _run.Results;

    [Fact]
    public void PingAndRoot_AnswerForTheKeysAccount()
    {
        Assert.Equal("Everything's Chimpy!", Results["ping"]!["health_status"]!.GetValue<string>());
        Assert.Equal(_run.Account["account_id"]!.GetValue<string>(), Results["root"]!["account_id"]!.GetValue<string>());
        Assert.Equal("Compat Co", Results["root"]!["account_name"]!.GetValue<string>());
        Assert.Equal(_run.Account["login_id"]!.GetValue<string>(), Results["root"]!["login_id"]!.GetValue<string>());
    }

    [Fact]
    public void ListsAndMembers_BehaveAsMailchimpDocuments()
    {
        Assert.Matches("^[0-9a-f]{10}$", Results["createList"]!["id"]!.GetValue<string>());
        var added = Results["addMember"]!;
        Assert.Equal(added["expected_id"]!.GetValue<string>(), added["id"]!.GetValue<string>());
        Assert.Equal("subscribed", added["status"]!.GetValue<string>());
        Assert.Equal("Ada Lovelace", Results["getMember"]!["full_name"]!.GetValue<string>());
        Assert.EndsWith("@example.com", Results["getMemberByEmail"]!["email_address"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("unsubscribed", Results["updateMember"]!["status"]!.GetValue<string>());
        Assert.Equal("Ada King", Results["updateMember"]!["full_name"]!.GetValue<string>());
        Assert.Equal("pending", Results["upsertMember"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public void ListMembers_HonoursCountOffsetAndFields()
    {
        var page = Results["listMembersPage"]!.AsObject();

        Assert.Equal(["members", "total_items"], page.Select(p => p.Key).Order());
        Assert.Equal(3, page["total_items"]!.GetValue<int>());
        var members = page["members"]!.AsArray();
        Assert.Equal(2, members.Count);
        Assert.All(members, m => Assert.Equal(["email_address"], m!.AsObject().Select(p => p.Key)));
        Assert.StartsWith("grace.", members[0]!["email_address"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateMember_SurfacesAs400MemberExists()
    {
        var error = Results["duplicateMember"]!;

        Assert.Equal(400, error["status"]!.GetValue<int>());
        Assert.Equal("application/problem+json", error["type"]!.GetValue<string>());
        Assert.Equal("Member Exists", error["title"]!.GetValue<string>());
    }

    [Fact]
    public void Batch_RunsItsOperationsAndReportsThem()
    {
        var batch = Results["batch"]!;

        Assert.Equal("finished", batch["status"]!.GetValue<string>());
        Assert.Equal(3, batch["total_operations"]!.GetValue<int>());
        Assert.Equal(3, batch["finished_operations"]!.GetValue<int>());
        Assert.Equal(0, batch["errored_operations"]!.GetValue<int>());
        Assert.True(batch["has_response_body_url"]!.GetValue<bool>());
        // Four members, one added by the batch and one archived by it: ada, grace, upsert, batch.
        Assert.Equal(4, Results["membersAfterBatch"]!.GetValue<int>());
    }

    [Fact]
    public void Deletes_ArchiveThenForget()
    {
        Assert.Null(Results["deleteMember"]!["response"]);
        Assert.Equal("archived", Results["deleteMember"]!["status_after"]!.GetValue<string>());
        Assert.Equal(404, Results["deleteMemberPermanent"]!["status"]!.GetValue<int>());
        Assert.Equal(404, Results["deleteList"]!["status"]!.GetValue<int>());
        Assert.Equal("Resource Not Found", Results["deleteList"]!["title"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("unknownKey")]
    [InlineData("revokedKey")]
    public void BadKey_SurfacesAs401ApiKeyInvalid(string step)
    {
        ClientErrors.AssertApiKeyInvalid(Results[step]!);
    }

    [Fact]
    public async Task Sandbox_RecordedEveryCallByKeyId_NeverTheKey()
    {
        var (text, requests) = await _run.Control.GetRequestsAsync(TestContext.Current.CancellationToken);
        var keyId = _run.Key["key_id"]!.GetValue<string>();
        var revokedKeyId = _run.RevokedKey["key_id"]!.GetValue<string>();

        Assert.All(requests, r => Assert.Equal("marketing", r!["api"]!.GetValue<string>()));
        Assert.All(requests, r => Assert.Equal("basic", r!["auth_scheme"]!.GetValue<string>()));
        Assert.All(requests, r => Assert.StartsWith("node-superagent", r!["headers"]!["user-agent"]!.GetValue<string>(), StringComparison.Ordinal));
        var refused = requests.Where(r => r!["status"]!.GetValue<int>() == 401).ToList();
        Assert.Equal(2, refused.Count);
        Assert.Null(refused[0]!["key_id"]);
        Assert.Equal(revokedKeyId, refused[1]!["key_id"]!.GetValue<string>());
        Assert.All(requests.Except(refused), r => Assert.Equal(keyId, r!["key_id"]!.GetValue<string>()));
        var batch = Assert.Single(requests, r => r!["path"]!.GetValue<string>() == "/3.0/batches" && r["method"]!.GetValue<string>() == "POST");
        Assert.Equal(["POST", "GET", "DELETE"], batch!["batch_operations"]!.AsArray().Select(o => o!["method"]!.GetValue<string>()));
        Assert.DoesNotContain(_run.Key["key"]!.GetValue<string>(), text, StringComparison.Ordinal);
        Assert.DoesNotContain(_run.RevokedKey["key"]!.GetValue<string>(), text, StringComparison.Ordinal);
    }
}
