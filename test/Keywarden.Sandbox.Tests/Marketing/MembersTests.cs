using System.Security.Cryptography;
using System.Text;

namespace Keywarden.Sandbox.Tests.Marketing;

public sealed class MembersTests
{
    [Fact]
    public async Task AddMember_ThenGetByHashAndByEmail_ReturnsTheMember()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var list = await sandbox.CreateListAsync();

        var added = await sandbox.MarketingAsync(
            HttpMethod.Post,
            $"lists/{list}/members",
            """{"email_address":"Ada@Example.com","status":"subscribed","merge_fields":{"FNAME":"Ada","LNAME":"Lovelace"},"tags":["vip"]}""");
        var hash = Md5("ada@example.com");
        var byHash = await sandbox.MarketingAsync(HttpMethod.Get, $"lists/{list}/members/{hash}");
        var byEmail = await sandbox.MarketingAsync(HttpMethod.Get, $"lists/{list}/members/{Uri.EscapeDataString("ada@example.com")}");

        Assert.Equal(200, added.Status);
        Assert.Equal(hash, added.String("id"));
        Assert.Equal("Ada@Example.com", added.String("email_address"));
        Assert.Equal("Ada Lovelace", added.String("full_name"));
        Assert.Equal(list, added.String("list_id"));
        Assert.Equal(1, added.Json!["tags_count"]!.GetValue<int>());
        Assert.Equal("", added.Json!["merge_fields"]!["PHONE"]!.GetValue<string>());
        Assert.Equal(hash, byHash.String("id"));
        Assert.Equal(hash, byEmail.String("id"));
    }

    [Fact]
    public async Task AddMember_Twice_Returns400MemberExists()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var list = await sandbox.CreateListAsync();
        await sandbox.AddMemberAsync(list, "grace@example.com");

        var reply = await sandbox.MarketingAsync(HttpMethod.Post, $"lists/{list}/members", """{"email_address":"GRACE@example.com","status":"subscribed"}""");

        Assert.Equal(400, reply.Status);
        Assert.Equal("Member Exists", reply.String("title"));
        Assert.Equal("GRACE@example.com is already a list member. Use PUT to insert or update list members.", reply.String("detail"));
    }

    [Fact]
    public async Task AddMember_WithInvalidEmailOrStatus_Returns400InvalidResource()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var list = await sandbox.CreateListAsync();

        var badEmail = await sandbox.MarketingAsync(HttpMethod.Post, $"lists/{list}/members", """{"email_address":"not-an-email","status":"subscribed"}""");
        var badStatus = await sandbox.MarketingAsync(HttpMethod.Post, $"lists/{list}/members", """{"email_address":"a@example.com","status":"happy"}""");
        var missing = await sandbox.MarketingAsync(HttpMethod.Post, $"lists/{list}/members", "{}");

        Assert.Equal(400, badEmail.Status);
        Assert.Equal("Invalid Resource", badEmail.String("title"));
        Assert.Equal("Please provide a valid email address.", badEmail.String("detail"));
        Assert.Equal("status", badStatus.Json!["errors"]![0]!["field"]!.GetValue<string>());
        Assert.Equal("Required fields were not provided: email_address, status", missing.Json!["errors"]![0]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetMember_Unknown_Returns404()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var list = await sandbox.CreateListAsync();

        var unknownMember = await sandbox.MarketingAsync(HttpMethod.Get, $"lists/{list}/members/{Md5("nobody@example.com")}");
        var unknownList = await sandbox.MarketingAsync(HttpMethod.Get, $"lists/0000000000/members");

        Assert.Equal(404, unknownMember.Status);
        Assert.Equal(404, unknownList.Status);
    }

    [Fact]
    public async Task PutMember_AddsWithStatusIfNew_ThenUpdates()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var list = await sandbox.CreateListAsync();
        var path = $"lists/{list}/members/{Md5("linus@example.com")}";

        var withoutStatus = await sandbox.MarketingAsync(HttpMethod.Put, path, """{"email_address":"linus@example.com"}""");
        var added = await sandbox.MarketingAsync(HttpMethod.Put, path, """{"email_address":"linus@example.com","status_if_new":"pending"}""");
        var updated = await sandbox.MarketingAsync(HttpMethod.Put, path, """{"email_address":"linus@example.com","status_if_new":"subscribed","merge_fields":{"FNAME":"Linus"}}""");

        Assert.Equal(400, withoutStatus.Status);
        Assert.Equal("pending", added.String("status"));
        Assert.Equal("pending", updated.String("status"));
        Assert.Equal("Linus", updated.Json!["merge_fields"]!["FNAME"]!.GetValue<string>());
    }

    [Fact]
    public async Task PatchMember_ChangesStatusAndMergesMergeFields()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var list = await sandbox.CreateListAsync();
        await sandbox.AddMemberAsync(list, "ken@example.com", firstName: "Ken");

        var reply = await sandbox.MarketingAsync(
            HttpMethod.Patch,
            $"lists/{list}/members/{Md5("ken@example.com")}",
            """{"status":"unsubscribed","merge_fields":{"LNAME":"Thompson"}}""");

        Assert.Equal(200, reply.Status);
        Assert.Equal("unsubscribed", reply.String("status"));
        Assert.Equal("Ken Thompson", reply.String("full_name"));
    }

    [Fact]
    public async Task PatchMember_WithNewEmail_MovesItToTheNewHash()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var list = await sandbox.CreateListAsync();
        await sandbox.AddMemberAsync(list, "old@example.com");

        var reply = await sandbox.MarketingAsync(HttpMethod.Patch, $"lists/{list}/members/{Md5("old@example.com")}", """{"email_address":"new@example.com"}""");

        Assert.Equal(Md5("new@example.com"), reply.String("id"));
        Assert.Equal(404, (await sandbox.MarketingAsync(HttpMethod.Get, $"lists/{list}/members/{Md5("old@example.com")}")).Status);
        Assert.Equal(200, (await sandbox.MarketingAsync(HttpMethod.Get, $"lists/{list}/members/{Md5("new@example.com")}")).Status);
    }

    [Fact]
    public async Task DeleteMember_ArchivesIt()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var list = await sandbox.CreateListAsync();
        await sandbox.AddMemberAsync(list, "margaret@example.com");
        var path = $"lists/{list}/members/{Md5("margaret@example.com")}";

        var deleted = await sandbox.MarketingAsync(HttpMethod.Delete, path);
        var fetched = await sandbox.MarketingAsync(HttpMethod.Get, path);
        var listed = await sandbox.MarketingAsync(HttpMethod.Get, $"lists/{list}/members");
        var archived = await sandbox.MarketingAsync(HttpMethod.Get, $"lists/{list}/members?status=archived");
        var readded = await sandbox.MarketingAsync(HttpMethod.Post, $"lists/{list}/members", """{"email_address":"margaret@example.com","status":"subscribed"}""");

        Assert.Equal(204, deleted.Status);
        Assert.Equal("archived", fetched.String("status"));
        Assert.Equal(0, listed.Json!["total_items"]!.GetValue<int>());
        Assert.Equal(1, archived.Json!["total_items"]!.GetValue<int>());
        Assert.Equal("subscribed", readded.String("status"));
    }

    [Fact]
    public async Task DeletePermanent_RemovesTheMemberAndRefusesReimport()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var list = await sandbox.CreateListAsync();
        await sandbox.AddMemberAsync(list, "barbara@example.com");
        var path = $"lists/{list}/members/{Md5("barbara@example.com")}";

        var deleted = await sandbox.MarketingAsync(HttpMethod.Post, path + "/actions/delete-permanent");
        var fetched = await sandbox.MarketingAsync(HttpMethod.Get, path);
        var readded = await sandbox.MarketingAsync(HttpMethod.Post, $"lists/{list}/members", """{"email_address":"barbara@example.com","status":"subscribed"}""");

        Assert.Equal(204, deleted.Status);
        Assert.Equal(404, fetched.Status);
        Assert.Equal(400, readded.Status);
        Assert.Equal("Forgotten Email Not Subscribed", readded.String("title"));
    }

    [Fact]
    public async Task ListMembers_PaginatesWithCountAndOffset()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var list = await sandbox.CreateListAsync();
        for (var i = 0; i < 12; i++)
        {
            await sandbox.AddMemberAsync(list, $"user{i:00}@example.com");
        }

        var first = await sandbox.MarketingAsync(HttpMethod.Get, $"lists/{list}/members");
        var page = await sandbox.MarketingAsync(HttpMethod.Get, $"lists/{list}/members?count=5&offset=10");
        var badCount = await sandbox.MarketingAsync(HttpMethod.Get, $"lists/{list}/members?count=many");

        Assert.Equal(12, first.Json!["total_items"]!.GetValue<int>());
        Assert.Equal(10, first.Json["members"]!.AsArray().Count);
        Assert.Equal(["user10@example.com", "user11@example.com"], page.Json!["members"]!.AsArray().Select(m => m!["email_address"]!.GetValue<string>()));
        Assert.Equal(400, badCount.Status);
    }

    [Fact]
    public async Task ListMembers_WithFields_ReturnsOnlyTheNamedFields()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var list = await sandbox.CreateListAsync();
        await sandbox.AddMemberAsync(list, "a@example.com", firstName: "A");
        await sandbox.AddMemberAsync(list, "b@example.com", firstName: "B");

        var reply = await sandbox.MarketingAsync(HttpMethod.Get, $"lists/{list}/members?fields=total_items,members.email_address,members.merge_fields.FNAME");

        var body = reply.Json!.AsObject();
        Assert.Equal(["members", "total_items"], body.Select(p => p.Key).Order());
        var member = body["members"]![0]!.AsObject();
        Assert.Equal(["email_address", "merge_fields"], member.Select(p => p.Key).Order());
        Assert.Equal(["FNAME"], member["merge_fields"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task GetMember_WithExcludeFields_DropsNestedFields()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var list = await sandbox.CreateListAsync();
        await sandbox.AddMemberAsync(list, "a@example.com");

        var reply = await sandbox.MarketingAsync(HttpMethod.Get, $"lists/{list}/members/{Md5("a@example.com")}?exclude_fields=_links,location.latitude,stats");

        var member = reply.Json!.AsObject();
        Assert.False(member.ContainsKey("_links"));
        Assert.False(member.ContainsKey("stats"));
        Assert.False(member["location"]!.AsObject().ContainsKey("latitude"));
        Assert.True(member["location"]!.AsObject().ContainsKey("longitude"));
        Assert.Equal("a@example.com", member["email_address"]!.GetValue<string>());
    }

#pragma warning disable CA5351 // The subscriber hash is MD5 by Mailchimp's definition.
    internal static string Md5(string email) =>
        Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(email.ToLowerInvariant())));
#pragma warning restore CA5351
}
