using System.Net;
using System.Text.Json;

namespace Keywarden.Testing;

/// <summary>A response read whole, so a test can assert on it after the connection is gone.</summary>
public sealed record Answer(HttpStatusCode Status, string? MediaType, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public static async Task<Answer> ReadAsync(HttpResponseMessage response)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            headers[name] = string.Join(", ", values);
        }

        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return new Answer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, headers, body);
    }

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    /// <summary>Asserts a Marketing problem+json with this status and title.</summary>
    public void AssertProblem(HttpStatusCode status, string title)
    {
        Assert.True(status == Status, $"expected {(int)status}, got {(int)Status}: {Body}");
        Assert.Equal("application/problem+json", MediaType);
        Assert.Equal(title, Json.GetProperty("title").GetString());
        Assert.Equal((int)status, Json.GetProperty("status").GetInt32());
        Assert.True(Json.TryGetProperty("type", out _) && Json.TryGetProperty("detail", out _) && Json.TryGetProperty("instance", out _));
    }

    /// <summary>Asserts a Mandrill error body with this HTTP status and error name.</summary>
    public void AssertMandrillError(HttpStatusCode status, string name)
    {
        Assert.True(status == Status, $"expected {(int)status}, got {(int)Status}: {Body}");
        Assert.Equal("error", Json.GetProperty("status").GetString());
        Assert.Equal(name, Json.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Number, Json.GetProperty("code").ValueKind);
        Assert.Equal(JsonValueKind.String, Json.GetProperty("message").ValueKind);
    }
}
