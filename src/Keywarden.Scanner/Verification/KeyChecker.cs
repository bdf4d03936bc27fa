using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Keywarden.Core.Keys;

namespace Keywarden.Scanner.Verification;

/// <summary>
/// Asks the upstream whether a found key works: Marketing <c>GET /3.0/ping</c> on the key's datacenter, Transactional
/// <c>POST users/ping</c>. Each distinct secret is checked once per scan, paced by <see cref="RequestPacer"/>. The key
/// travels only in a header or body; no detail returned names it.
/// </summary>
internal sealed class KeyChecker(VerifyOptions options)
{
    public async Task CheckAllAsync(IReadOnlyList<Finding> findings, CancellationToken cancellationToken)
    {
        using var pacer = new RequestPacer(options.MaxConcurrency, options.MaxPerSecond, options.Time);
        var checks = findings
            .GroupBy(f => (f.RuleId, f.Secret))
            .Select(async group =>
            {
                var check = await CheckAsync(group.Key.RuleId, group.Key.Secret, pacer, cancellationToken);
                foreach (var finding in group)
                {
                    finding.Verification = check;
                }
            });
        await Task.WhenAll(checks);
    }

    private Task<KeyCheck> CheckAsync(string ruleId, string secret, RequestPacer pacer, CancellationToken cancellationToken)
    {
        if (ruleId == ScanRules.MarketingKey && MarketingKey.TryParse(secret, out var marketing))
        {
            return pacer.RunAsync(ct => PingMarketingAsync(marketing, ct), cancellationToken);
        }

        if (ruleId == ScanRules.TransactionalKey && TransactionalKey.TryParse(secret, out var transactional))
        {
            return pacer.RunAsync(ct => PingTransactionalAsync(transactional, ct), cancellationToken);
        }

        return Task.FromResult(new KeyCheck(VerificationStatus.Unknown, "no upstream to ask: check 'keywarden token list'"));
    }

    private Task<KeyCheck> PingMarketingAsync(MarketingKey key, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(options.MarketingBaseAddress ?? key.ApiBaseAddress, "3.0/ping"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("keywarden:" + key.Value)));
        return SendAsync(request, static (status, _) => status switch
        {
            HttpStatusCode.OK => new KeyCheck(VerificationStatus.Active),
            HttpStatusCode.Unauthorized => new KeyCheck(VerificationStatus.Revoked, "API Key Invalid"),
            _ => new KeyCheck(VerificationStatus.Unknown, $"HTTP {(int)status}"),
        }, cancellationToken);
    }

    private Task<KeyCheck> PingTransactionalAsync(TransactionalKey key, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.TransactionalBaseAddress ?? TransactionalKey.ApiBaseAddress, "api/1.0/users/ping.json"))
        {
            Content = JsonContent.Create(new Dictionary<string, string> { ["key"] = key.Value }),
        };

        // Mandrill answers an invalid key with HTTP 500 and {"name": "Invalid_Key"}: the body decides, not the status.
        return SendAsync(request, static (status, body) => status == HttpStatusCode.OK
            ? new KeyCheck(VerificationStatus.Active)
            : ErrorName(body) == "Invalid_Key"
                ? new KeyCheck(VerificationStatus.Revoked, "Invalid_Key")
                : new KeyCheck(VerificationStatus.Unknown, $"HTTP {(int)status}"), cancellationToken);
    }

    private async Task<KeyCheck> SendAsync(HttpRequestMessage request, Func<HttpStatusCode, string, KeyCheck> read, CancellationToken cancellationToken)
    {
        using var _ = request;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        var host = request.RequestUri!.GetLeftPart(UriPartial.Authority);
        try
        {
            using var response = await options.Http.SendAsync(request, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            return read(response.StatusCode, body);
        }
        catch (HttpRequestException e)
        {
            // Named by host and error kind only: the exception's message is not ours to repeat.
            return new KeyCheck(VerificationStatus.Unknown, $"network error reaching {host} ({e.HttpRequestError})");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new KeyCheck(VerificationStatus.Unknown, $"no answer from {host} in {options.Timeout.TotalSeconds:0.#} s");
        }
    }

    private static string? ErrorName(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
                ? name.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
