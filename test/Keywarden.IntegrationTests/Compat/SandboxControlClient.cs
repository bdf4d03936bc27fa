using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Keywarden.IntegrationTests.Compat;

/// <summary>The sandbox's control API over HTTP, as a person's clicks in the Mailchimp UI would be.</summary>
internal sealed class SandboxControlClient : IDisposable
{
    private readonly HttpClient _http;

    public SandboxControlClient(Uri baseAddress)
    {
        _http = new HttpClient { BaseAddress = baseAddress };
    }

    public async Task<JsonObject> CreateAccountAsync(string name, string datacenter, CancellationToken cancellationToken) =>
        await PostAsync("_sandbox/accounts", new JsonObject { ["name"] = name, ["datacenter"] = datacenter }, cancellationToken);

    public async Task<JsonObject> CreateKeyAsync(string accountId, string kind, string name, CancellationToken cancellationToken) =>
        await PostAsync($"_sandbox/accounts/{accountId}/keys", new JsonObject { ["kind"] = kind, ["name"] = name }, cancellationToken);

    public async Task<JsonObject> RevokeKeyAsync(string keyId, CancellationToken cancellationToken) =>
        await PostAsync($"_sandbox/keys/{keyId}/revoke", [], cancellationToken);

    /// <summary>The request log as JSON text and parsed (the text lets a test prove no key appears anywhere in it).</summary>
    public async Task<(string Text, JsonArray Requests)> GetRequestsAsync(CancellationToken cancellationToken)
    {
        var text = await _http.GetStringAsync("_sandbox/requests", cancellationToken);
        return (text, JsonNode.Parse(text)!["requests"]!.AsArray());
    }

    public async Task<JsonArray> GetMessagesAsync(CancellationToken cancellationToken) =>
        (await _http.GetFromJsonAsync<JsonObject>("_sandbox/messages", cancellationToken))!["messages"]!.AsArray();

    public void Dispose() => _http.Dispose();

    private async Task<JsonObject> PostAsync(string path, JsonObject body, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync(path, body, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))!;
    }
}
