using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Keywarden.Core.Keys;
using Keywarden.Core.Providers;
using Keywarden.Sandbox;

namespace Keywarden.Mailchimp.Tests;

/// <summary>Each API verifies its keys against the real sandbox on loopback; failures are answers, never the key.</summary>
public sealed class VerificationTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private SandboxServer _sandbox = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _sandbox = await SandboxServer.StartAsync(new SandboxOptions(), Ct);

    public async ValueTask DisposeAsync() => await _sandbox.DisposeAsync();

    [Theory]
    [InlineData("marketing")]
    [InlineData("transactional")]
    public async Task AWorkingKey_IsValid_WithItsAccount_AndARevokedOne_IsInvalid(string kind)
    {
        var (account, keyId, text, api, key) = await StoredKeyAsync(kind);

        var valid = await api.VerifyAsync(Http, key, _sandbox.BaseAddress, Ct);
        await RevokeAsync(keyId);
        var invalid = await api.VerifyAsync(Http, key, _sandbox.BaseAddress, Ct);

        Assert.Equal(KeyVerificationStatus.Valid, valid.Status);
        Assert.False(string.IsNullOrEmpty(valid.AccountId));
        Assert.Equal(kind == "marketing" ? account : valid.AccountId, valid.AccountId);
        Assert.Equal(KeyVerificationStatus.Invalid, invalid.Status);
        Assert.DoesNotContain(text[4..], invalid.Detail ?? "", StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("marketing")]
    [InlineData("transactional")]
    public async Task AnUnreachableAddress_IsUnreachable_NamingTheHostOnly(string kind)
    {
        var (_, _, text, api, key) = await StoredKeyAsync(kind);
        var closed = new Uri($"http://127.0.0.1:{UnusedPort()}/");

        var verification = await api.VerifyAsync(Http, key, closed, Ct);

        Assert.Equal(KeyVerificationStatus.Unreachable, verification.Status);
        Assert.StartsWith($"network error reaching http://127.0.0.1:{closed.Port}", verification.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(text[4..], verification.Detail!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKeyOfTheOtherApi_IsRefusedAsAnArgument()
    {
        var marketing = MailchimpApis.Catalog.Get(UpstreamKind.Marketing);
        var transactional = TransactionalKey.Parse("md-abcdefghijklmnopqrstuv");

        await Assert.ThrowsAsync<ArgumentException>(() => marketing.VerifyAsync(Http, transactional, _sandbox.BaseAddress, Ct));
    }

    /// <summary>A key created in the sandbox, as a person would, and the API that parses it.</summary>
    private async Task<(string Account, string KeyId, string Text, IUpstreamApi Api, UpstreamKey Key)> StoredKeyAsync(string kind)
    {
        var (account, keyId, text) = await CreateKeyAsync(kind);
        Assert.True(MailchimpApis.Catalog.TryParseAnyKey(text, out var api, out var key));
        return (account, keyId, text, api, key);
    }

    private async Task<(string Account, string KeyId, string Key)> CreateKeyAsync(string kind)
    {
        using var control = new HttpClient { BaseAddress = _sandbox.BaseAddress };
        using var created = await control.PostAsJsonAsync("_sandbox/accounts", new { name = "Test", datacenter = "us21" }, Ct);
        created.EnsureSuccessStatusCode();
        var account = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("account_id").GetString()!;
        using var response = await control.PostAsJsonAsync($"_sandbox/accounts/{account}/keys", new { kind, name = "test key" }, Ct);
        response.EnsureSuccessStatusCode();
        var key = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        return (account, key.GetProperty("key_id").GetString()!, key.GetProperty("key").GetString()!);
    }

    private async Task RevokeAsync(string keyId)
    {
        using var control = new HttpClient { BaseAddress = _sandbox.BaseAddress };
        using var response = await control.PostAsync($"_sandbox/keys/{keyId}/revoke", null, Ct);
        response.EnsureSuccessStatusCode();
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
