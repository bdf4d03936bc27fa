using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Keywarden.Application;
using Keywarden.Storage;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Keywarden.Notifications;

/// <summary>
/// Posts one alert to one webhook: the body in the target's format, signed (generic format), each attempt bounded by
/// <see cref="NotificationOptions.AttemptTimeout"/>, transient failures retried quickly (Polly). Follows no redirect (a
/// signed body goes only where it was told to) and never puts the URL or secret in what it returns.
/// </summary>
public sealed class WebhookSender : IDisposable
{
    /// <summary>The header that numbers a delivery, the same on every attempt, so a receiver can drop a repeat.</summary>
    public const string DeliveryHeader = "Keywarden-Delivery";

    private readonly HttpClient _client;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly TimeProvider _time;

    /// <param name="options">Timeouts and quick retries.</param>
    /// <param name="time">The clock: signatures' timestamps, retry delays and timeouts.</param>
    public WebhookSender(NotificationOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();
        _time = time;
        _client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan, // each attempt's own timeout is the pipeline's
        };
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Keywarden", "1"));
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = Math.Max(options.QuickRetries, 1),
                Delay = options.QuickRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                ShouldHandle = args => ValueTask.FromResult(options.QuickRetries > 0 && IsTransient(args.Outcome)),
                OnRetry = args =>
                {
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();
    }

    /// <summary>Sends <paramref name="notice"/> to <paramref name="endpoint"/> as delivery <paramref name="deliveryId"/>.</summary>
    public async Task<DeliveryResult> SendAsync(WebhookEndpoint endpoint, AlertNotice notice, long deliveryId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(notice);
        var body = endpoint.Format == NotificationFormat.Slack ? SlackMessage.Body(notice) : System.Text.Encoding.UTF8.GetBytes(notice.ToJson());
        try
        {
            using var response = await _pipeline.ExecuteAsync(
                async ct =>
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url) { Content = new ByteArrayContent(body) };
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                    request.Headers.Add(DeliveryHeader, deliveryId.ToString(CultureInfo.InvariantCulture));
                    if (endpoint.Format == NotificationFormat.Generic)
                    {
                        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(endpoint.SigningSecret, _time.GetUtcNow(), body));
                    }

                    return await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                },
                cancellationToken);
            var status = (int)response.StatusCode;
            return status is >= 200 and < 300
                ? DeliveryResult.Accepted
                : DeliveryResult.Failed(string.Create(CultureInfo.InvariantCulture, $"the receiver answered HTTP {status}"));
        }
        catch (TimeoutRejectedException)
        {
            return DeliveryResult.Failed("no answer within the timeout");
        }
        catch (HttpRequestException e)
        {
            // The message may name the host; the URL's path (where a secret may sit) is not in it. Keep the error kind only.
            return DeliveryResult.Failed("could not reach the receiver (" + (e.HttpRequestError == HttpRequestError.Unknown ? "network error" : Words(e.HttpRequestError)) + ")");
        }
    }

    public void Dispose() => _client.Dispose();

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is HttpRequestException or TimeoutRejectedException
        || outcome.Result is { } response && ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests);

    private static string Words(HttpRequestError error) => error switch
    {
        HttpRequestError.NameResolutionError => "its name does not resolve",
        HttpRequestError.ConnectionError => "connection refused or reset",
        HttpRequestError.SecureConnectionError => "TLS failed",
        HttpRequestError.ResponseEnded => "the answer was cut off",
        HttpRequestError.InvalidResponse => "not an HTTP answer",
        _ => error.ToString(),
    };
}
