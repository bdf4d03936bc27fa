using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Keywarden.Core.Keys;
using Keywarden.Core.Providers;

namespace Keywarden.Mailchimp;

/// <summary>
/// Verifies Mailchimp keys: Marketing with <c>GET /3.0/</c> (the account root, which carries
/// <c>account_id</c>), Transactional with <c>POST /api/1.0/users/info.json</c> (which carries <c>username</c>).
/// </summary>
public sealed class MailchimpKeyVerifier : IKeyVerifier
{
    private readonly HttpClient _http;

    /// <summary>Creates the verifier over an <see cref="HttpClient"/> whose lifetime the caller owns.</summary>
    public MailchimpKeyVerifier(HttpClient http) => _http = http;

    /// <inheritdoc />
    public Task<KeyVerification> VerifyAsync(UpstreamKey key, Uri? baseAddress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key switch
        {
            MarketingKey marketing => VerifyMarketingAsync(marketing, baseAddress ?? marketing.ApiBaseAddress, cancellationToken),
            TransactionalKey transactional => VerifyTransactionalAsync(transactional, baseAddress ?? TransactionalKey.ApiBaseAddress, cancellationToken),
            _ => throw new ArgumentException($"not a Mailchimp key kind: {key.Kind}", nameof(key)),
        };
    }

    private async Task<KeyVerification> VerifyMarketingAsync(MarketingKey key, Uri baseAddress, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseAddress, "3.0/"));
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("keywarden:" + key.Value)));
        return await SendAsync(request, ReadMarketing, cancellationToken);

        static KeyVerification ReadMarketing(HttpStatusCode status, JsonElement body) => status switch
        {
            HttpStatusCode.OK => new KeyVerification(
                KeyVerificationStatus.Valid, GetString(body, "account_id"), GetString(body, "account_name")),
            HttpStatusCode.Unauthorized => new KeyVerification(
                KeyVerificationStatus.Invalid, Detail: GetString(body, "title") ?? "API Key Invalid"),
            _ => new KeyVerification(
                KeyVerificationStatus.Unreachable, Detail: $"unexpected HTTP {(int)status} {GetString(body, "title")}".TrimEnd()),
        };
    }

    private async Task<KeyVerification> VerifyTransactionalAsync(TransactionalKey key, Uri baseAddress, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseAddress, "api/1.0/users/info.json"))
        {
            Content = JsonContent.Create(new Dictionary<string, string> { ["key"] = key.Value }),
        };
        return await SendAsync(request, ReadTransactional, cancellationToken);

        static KeyVerification ReadTransactional(HttpStatusCode status, JsonElement body)
        {
            if (status == HttpStatusCode.OK && GetString(body, "username") is { } username)
            {
                return new KeyVerification(KeyVerificationStatus.Valid, username, username);
            }

            return GetString(body, "name") == "Invalid_Key"
                ? new KeyVerification(KeyVerificationStatus.Invalid, Detail: "Invalid_Key")
                : new KeyVerification(KeyVerificationStatus.Unreachable, Detail: $"unexpected HTTP {(int)status} {GetString(body, "name")}".TrimEnd());
        }
    }

    private async Task<KeyVerification> SendAsync(
        HttpRequestMessage request, Func<HttpStatusCode, JsonElement, KeyVerification> read, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            JsonElement body;
            try
            {
                body = string.IsNullOrWhiteSpace(text) ? default : JsonDocument.Parse(text).RootElement;
            }
            catch (JsonException)
            {
                body = default;
            }

            return read(response.StatusCode, body);
        }
        catch (HttpRequestException e)
        {
            // The message names the host, never the key (which travels only in a header or body).
            return new KeyVerification(KeyVerificationStatus.Unreachable, Detail: $"could not reach {request.RequestUri?.GetLeftPart(UriPartial.Authority)}: {e.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new KeyVerification(KeyVerificationStatus.Unreachable, Detail: $"{request.RequestUri?.GetLeftPart(UriPartial.Authority)} did not answer in time");
        }
    }

    private static string? GetString(JsonElement body, string property) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(property, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;
}
