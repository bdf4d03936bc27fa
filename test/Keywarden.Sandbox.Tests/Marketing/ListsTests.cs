using System.Text.Json.Nodes;

namespace Keywarden.Sandbox.Tests.Marketing;

public sealed class ListsTests
{
    [Fact]
    public async Task CreateList_WithoutRequiredFields_Returns400InvalidResourceWithErrors()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var reply = await sandbox.MarketingAsync(HttpMethod.Post, "lists", """{"name":"Only a name"}""");

        Assert.Equal(400, reply.Status);
        Assert.Equal("application/problem+json", reply.MediaType);
        Assert.Equal("Invalid Resource", reply.String("title"));
        var error = Assert.Single(reply.Json!["errors"]!.AsArray());
        Assert.Equal("", error!["field"]!.GetValue<string>());
        Assert.Equal(
            "Required fields were not provided: contact, permission_reminder, campaign_defaults, email_type_option",
            error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateList_WithWrongType_NamesTheField()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var body = JsonNode.Parse(SandboxHarness.ListJson("Typed"))!.AsObject();
        body["email_type_option"] = "yes";

        var reply = await sandbox.MarketingAsync(HttpMethod.Post, "lists", body.ToJsonString());

        Assert.Equal(400, reply.Status);
        var error = Assert.Single(reply.Json!["errors"]!.AsArray());
        Assert.Equal("email_type_option", error!["field"]!.GetValue<string>());
        Assert.Equal("Schema describes boolean, string found instead", error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateList_WithMalformedJson_Returns400JsonParseError()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var reply = await sandbox.MarketingAsync(HttpMethod.Post, "lists", "{\"name\":");

        Assert.Equal(400, reply.Status);
        Assert.Equal("JSON Parse Error", reply.String("title"));
    }

    [Fact]
    public async Task List_CreateGetUpdateDelete_RoundTrips()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var created = await sandbox.MarketingAsync(HttpMethod.Post, "lists", SandboxHarness.ListJson("Newsletter"));
        var id = created.String("id")!;
        var fetched = await sandbox.MarketingAsync(HttpMethod.Get, $"lists/{id}");
        var patched = await sandbox.MarketingAsync(HttpMethod.Patch, $"lists/{id}", """{"name":"Renamed","contact":{"city":"Decatur"}}""");
        var deleted = await sandbox.MarketingAsync(HttpMethod.Delete, $"lists/{id}");
        var gone = await sandbox.MarketingAsync(HttpMethod.Get, $"lists/{id}");

        Assert.Equal(200, created.Status);
        Assert.Matches("^[0-9a-f]{10}$", id);
        Assert.Equal("Newsletter", fetched.String("name"));
        Assert.Equal(0, fetched.Json!["stats"]!["member_count"]!.GetValue<int>());
        Assert.Equal("Renamed", patched.String("name"));
        Assert.Equal("Decatur", patched.Json!["contact"]!["city"]!.GetValue<string>());
        Assert.Equal("Acme", patched.Json!["contact"]!["company"]!.GetValue<string>());
        Assert.Equal(204, deleted.Status);
        Assert.Equal("", deleted.Text);
        Assert.Equal(404, gone.Status);
        Assert.Equal("Resource Not Found", gone.String("title"));
    }

    [Fact]
    public async Task Lists_AreSeparatePerAccount()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var other = sandbox.State.CreateAccount("Globex", "us21");
        var otherKey = sandbox.State.CreateKey(other.AccountId, SandboxKeyKind.Marketing);
        var mine = await sandbox.CreateListAsync("Mine");

        var theirs = await sandbox.MarketingAsync(HttpMethod.Get, "lists", key: otherKey.Key);
        var stolen = await sandbox.MarketingAsync(HttpMethod.Get, $"lists/{mine}", key: otherKey.Key);

        Assert.Equal(0, theirs.Json!["total_items"]!.GetValue<int>());
        Assert.Equal(404, stolen.Status);
    }

    [Fact]
    public async Task GetLists_ReturnsTotalItemsAndPage()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        foreach (var name in new[] { "A", "B", "C" })
        {
            await sandbox.CreateListAsync(name);
        }

        var reply = await sandbox.MarketingAsync(HttpMethod.Get, "lists?count=2&offset=1");

        Assert.Equal(3, reply.Json!["total_items"]!.GetValue<int>());
        Assert.Equal(["B", "C"], reply.Json["lists"]!.AsArray().Select(l => l!["name"]!.GetValue<string>()));
    }
}
