using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Keywarden.Sandbox.Tests.Control;

public sealed class ControlApiTests
{
    [Fact]
    public async Task CreateAccountAndKeys_ThenListKeys_ShowsPrefixNeverTheKey()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var account = await PostAsync(sandbox, "_sandbox/accounts", """{"name":"Initech","datacenter":"us6"}""");
        var accountId = account.String("account_id")!;
        var marketing = await PostAsync(sandbox, $"_sandbox/accounts/{accountId}/keys", """{"kind":"marketing","name":"crm sync"}""");
        var transactional = await PostAsync(sandbox, $"_sandbox/accounts/{accountId}/keys", """{"kind":"transactional","name":"receipts"}""");
        var listed = await GetAsync(sandbox, $"_sandbox/accounts/{accountId}/keys");

        Assert.Equal(201, account.Status);
        Assert.Equal("us6", account.String("datacenter"));
        Assert.Equal("initech", account.String("username"));
        Assert.Matches("^[0-9a-f]{32}-us6$", marketing.String("key"));
        Assert.Matches("^md-[A-Za-z0-9_-]{22}$", transactional.String("key"));
        Assert.Equal(marketing.String("key")![..4], marketing.String("prefix"));
        Assert.Equal("active", marketing.String("state"));
        Assert.Equal("crm sync", marketing.String("name"));
        Assert.Equal("marketing", marketing.String("kind"));
        var keys = listed.Json!["keys"]!.AsArray();
        Assert.Equal(2, keys.Count);
        Assert.All(keys, k => Assert.False(k!.AsObject().ContainsKey("key")));
        Assert.DoesNotContain(marketing.String("key")!, listed.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(transactional.String("key")!, listed.Text, StringComparison.Ordinal);
        Assert.Equal(4, keys[0]!["prefix"]!.GetValue<string>().Length);
        Assert.Null(keys[0]!["revoked_at"]);
        Assert.NotNull(keys[0]!["created_at"]);
        var accounts = await GetAsync(sandbox, "_sandbox/accounts");
        Assert.Contains(accounts.Json!["accounts"]!.AsArray(), a => a!["account_id"]!.GetValue<string>() == accountId);
    }

    [Fact]
    public async Task RevokeKey_MakesBothApisRefuseIt()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var marketing = await PostAsync(sandbox, $"_sandbox/keys/{sandbox.MarketingKey.KeyId}/revoke", "");
        var transactional = await PostAsync(sandbox, $"_sandbox/keys/{sandbox.TransactionalKey.KeyId}/revoke", "");

        Assert.Equal(200, marketing.Status);
        Assert.Equal("revoked", marketing.String("state"));
        Assert.NotNull(marketing.String("revoked_at"));
        Assert.Equal(401, (await sandbox.MarketingAsync(HttpMethod.Get, "ping")).Status);
        Assert.Equal("Invalid_Key", (await sandbox.TransactionalAsync("users/ping", [])).String("name"));
        Assert.Equal("revoked", (await GetAsync(sandbox, $"_sandbox/keys/{sandbox.TransactionalKey.KeyId}")).String("state"));
    }

    [Fact]
    public async Task Requests_RecordKeyIdAndStatus_NeverTheKeyOrAuthorization()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var request = sandbox.MarketingRequest(HttpMethod.Get, "ping?apikey=" + sandbox.MarketingKey.Key);
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        request.Headers.UserAgent.ParseAdd("compat-test/1.0");
        await sandbox.SendAsync(request);
        await sandbox.TransactionalAsync("users/ping", []);
        await sandbox.MarketingAsync(HttpMethod.Get, "ping", key: "0123456789abcdef0123456789abcdef-us21");

        var log = await GetAsync(sandbox, "_sandbox/requests");

        var requests = log.Json!["requests"]!.AsArray();
        Assert.Equal(3, requests.Count);
        Assert.Equal("marketing", requests[0]!["api"]!.GetValue<string>());
        Assert.Equal("GET", requests[0]!["method"]!.GetValue<string>());
        Assert.Equal("/3.0/ping", requests[0]!["path"]!.GetValue<string>());
        Assert.Equal("?apikey=REDACTED", requests[0]!["query"]!.GetValue<string>());
        Assert.Equal(sandbox.MarketingKey.KeyId, requests[0]!["key_id"]!.GetValue<string>());
        Assert.Equal(200, requests[0]!["status"]!.GetValue<int>());
        Assert.Equal("203.0.113.7", requests[0]!["headers"]!["x-forwarded-for"]!.GetValue<string>());
        Assert.Equal("compat-test/1.0", requests[0]!["headers"]!["user-agent"]!.GetValue<string>());
        Assert.Equal("transactional", requests[1]!["api"]!.GetValue<string>());
        Assert.Equal(sandbox.TransactionalKey.KeyId, requests[1]!["key_id"]!.GetValue<string>());
        Assert.Null(requests[2]!["key_id"]);
        Assert.Equal(401, requests[2]!["status"]!.GetValue<int>());
        Assert.DoesNotContain(sandbox.MarketingKey.Key, log.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(sandbox.TransactionalKey.Key, log.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("authorization", log.Text, StringComparison.OrdinalIgnoreCase);
        var filtered = await GetAsync(sandbox, $"_sandbox/requests?key_id={sandbox.TransactionalKey.KeyId}");
        Assert.Single(filtered.Json!["requests"]!.AsArray());
    }

    [Fact]
    public async Task DeleteRequests_ClearsTheLog()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.MarketingAsync(HttpMethod.Get, "ping");

        using var response = await sandbox.Http.DeleteAsync("_sandbox/requests", SandboxHarness.Ct);

        Assert.Equal(204, (int)response.StatusCode);
        Assert.Empty(sandbox.State.Requests);
    }

    [Fact]
    public async Task UnknownAccountOrKey_Returns404_AndBadInput400()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var noAccount = await PostAsync(sandbox, "_sandbox/accounts/nope/keys", """{"kind":"marketing"}""");
        var noKey = await PostAsync(sandbox, "_sandbox/keys/key_nope/revoke", "");
        var badDatacenter = await PostAsync(sandbox, "_sandbox/accounts", """{"name":"X","datacenter":"eu1"}""");
        var badKind = await PostAsync(sandbox, $"_sandbox/accounts/{sandbox.Account.AccountId}/keys", """{"kind":"oauth"}""");

        Assert.Equal(404, noAccount.Status);
        Assert.Equal(404, noKey.Status);
        Assert.Equal(400, badDatacenter.Status);
        Assert.Equal(400, badKind.Status);
        Assert.NotNull(badKind.String("error"));
    }

    [Fact]
    public async Task Hold_ParksRequestsUntilReleased()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var started = await PostAsync(sandbox, "_sandbox/hold", "");
        var pending = sandbox.TransactionalAsync("users/ping", []);
        var waited = await GetAsync(sandbox, "_sandbox/hold?wait_for=1");
        var pendingBeforeRelease = pending.IsCompleted;
        var released = await PostAsync(sandbox, "_sandbox/hold/release", "");

        Assert.True(started.Json!["holding"]!.GetValue<bool>());
        Assert.Equal(1, waited.Json!["held"]!.GetValue<int>());
        Assert.False(pendingBeforeRelease);
        Assert.False(released.Json!["holding"]!.GetValue<bool>());
        Assert.Equal(200, (await pending).Status);
    }

    [Fact]
    public async Task Latency_CanBeSetAndRead()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var content = new StringContent("""{"milliseconds":25}""", Encoding.UTF8, "application/json");

        using var response = await sandbox.Http.PutAsync("_sandbox/latency", content, SandboxHarness.Ct);
        var read = await sandbox.Http.GetFromJsonAsync<JsonObject>("_sandbox/latency", SandboxHarness.Ct);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(25, read!["milliseconds"]!.GetValue<int>());
        Assert.Equal(TimeSpan.FromMilliseconds(25), sandbox.State.ResponseDelay);
    }

    [Fact]
    public async Task Messages_ListsWhatTransactionalSent()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        await sandbox.TransactionalAsync("messages/send", new JsonObject
        {
            ["message"] = new JsonObject { ["subject"] = "Receipt", ["to"] = new JsonArray { new JsonObject { ["email"] = "c@example.com" } } },
        });

        var messages = await GetAsync(sandbox, "_sandbox/messages");

        var message = Assert.Single(messages.Json!["messages"]!.AsArray());
        Assert.Equal("Receipt", message!["subject"]!.GetValue<string>());
        Assert.Equal("c@example.com", message["recipients"]![0]!["email"]!.GetValue<string>());
        Assert.Equal(sandbox.TransactionalKey.KeyId, message["key_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task OtherPaths_Return404AndAreRecorded()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        using var response = await sandbox.Http.GetAsync("admin", SandboxHarness.Ct);

        Assert.Equal(404, (int)response.StatusCode);
        Assert.Equal("other", Assert.Single(sandbox.State.Requests).Api);
    }

    private static Task<Reply> PostAsync(SandboxHarness sandbox, string path, string json) =>
        sandbox.SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") });

    private static Task<Reply> GetAsync(SandboxHarness sandbox, string path) =>
        sandbox.SendAsync(new HttpRequestMessage(HttpMethod.Get, path));
}
