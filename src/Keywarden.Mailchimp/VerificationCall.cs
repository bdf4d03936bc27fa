using System.Net;
using System.Text.Json;
using Keywarden.Core.Providers;

namespace Keywarden.Mailchimp;

/// <summary>Sends one verification request and reads the answer; network failures become <see cref="KeyVerificationStatus.Unreachable"/>.</summary>
internal static class VerificationCall
{
    public static async Task<KeyVerification> SendAsync(
        HttpClient http, HttpRequestMessage request, Func<HttpStatusCode, JsonElement, KeyVerification> read, CancellationToken cancellationToken)
    {
        using var _ = request;
        var host = request.RequestUri?.GetLeftPart(UriPartial.Authority);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
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
            // Named by host and error kind only: the exception's message is not ours to repeat (the key travels only
            // in a header or body, but a message may quote more than we know).
            return new KeyVerification(KeyVerificationStatus.Unreachable, Detail: $"network error reaching {host} ({e.HttpRequestError})");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new KeyVerification(KeyVerificationStatus.Unreachable, Detail: $"{host} did not answer in time");
        }
    }

    public static string? GetString(JsonElement body, string property) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(property, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;
}
