using System.Text.Json.Nodes;

namespace Keywarden.IntegrationTests.Compat;

/// <summary>
/// The errors Mailchimp's own clients surface for a bad key, as the compat scripts record them: what the sandbox gives
/// for a key and what the gateway must give for a token, checked by the same assertion.
/// </summary>
internal static class ClientErrors
{
    /// <summary>Marketing: HTTP 401, a problem document titled "API Key Invalid".</summary>
    public static void AssertApiKeyInvalid(JsonNode error)
    {
        Assert.Equal(401, error["status"]!.GetValue<int>());
        Assert.Equal("application/problem+json", error["type"]!.GetValue<string>());
        Assert.Equal("API Key Invalid", error["title"]!.GetValue<string>());
        Assert.Equal("Your API key may be invalid, or you've attempted to access the wrong datacenter.", error["detail"]!.GetValue<string>());
    }

    /// <summary>Transactional: HTTP 500 with Mandrill's error body, <c>Invalid_Key</c>.</summary>
    public static void AssertInvalidKey(JsonNode error)
    {
        Assert.Equal(500, error["http_status"]!.GetValue<int>());
        Assert.Equal("error", error["status"]!.GetValue<string>());
        Assert.Equal(-1, error["code"]!.GetValue<int>());
        Assert.Equal("Invalid_Key", error["name"]!.GetValue<string>());
        Assert.Equal("Invalid API key", error["message"]!.GetValue<string>());
    }
}
