using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Keywarden.Cli.Infrastructure;
using Keywarden.Core.Keys;

namespace Keywarden.Cli.Run;

/// <summary>
/// Waits until the gateway takes the run's new token: it loads tokens from the store's change feed, a moment after the
/// issue. Pings the token's API (<c>GET /3.0/ping</c>, <c>POST /api/1.0/users/ping.json</c>) until the answer is
/// anything but Mailchimp's "invalid key", which is what the gateway says of a token it does not know (a policy that
/// refuses the ping, or an upstream that fails, still proves it knows the token).
/// </summary>
internal sealed class GatewayReadiness
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private readonly HttpClient _http;
    private readonly TimeProvider _time;

    public GatewayReadiness(HttpClient http, TimeProvider time)
    {
        _http = http;
        _time = time;
    }

    /// <exception cref="CliException">The gateway did not take the token within <paramref name="wait"/>.</exception>
    public async Task WaitAsync(Uri gateway, RunToken token, TimeSpan wait, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        while (true)
        {
            var refusal = await ProbeAsync(gateway, token, cancellationToken);
            if (refusal is null)
            {
                return;
            }

            if (_time.GetElapsedTime(started) >= wait)
            {
                throw new CliException(
                    $"the gateway at {gateway} did not take the new token within {TimeSpec.Describe(wait)} ({refusal}): is 'keywarden serve' running on "
                    + "this data directory, is --gateway its address, and does the upstream's key still work?");
            }

            await Task.Delay(Interval, _time, cancellationToken);
        }
    }

    /// <summary>Null when the gateway knows the token, else why not (never the token).</summary>
    private async Task<string?> ProbeAsync(Uri gateway, RunToken token, CancellationToken cancellationToken)
    {
        using var request = token.Kind == UpstreamKind.Marketing
            ? new HttpRequestMessage(HttpMethod.Get, new Uri(gateway, "3.0/ping"))
            {
                Headers = { Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("keywarden-run:" + token.Token.Value))) },
            }
            : new HttpRequestMessage(HttpMethod.Post, new Uri(gateway, "api/1.0/users/ping.json")) { Content = JsonContent.Create(new { key = token.Token.Value }) };
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            if (token.Kind == UpstreamKind.Marketing)
            {
                return response.StatusCode == HttpStatusCode.Unauthorized ? "it answers 401 API Key Invalid" : null;
            }

            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return body.Contains("\"Invalid_Key\"", StringComparison.Ordinal) ? "it answers Invalid_Key" : null;
        }
        catch (HttpRequestException e)
        {
            return $"no answer: {e.Message}";
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {TimeSpec.Describe(_http.Timeout)}";
        }
    }
}
