using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Keywarden.Testing;

/// <summary>
/// A webhook receiver on loopback for notification tests: records every request it gets (headers and body) and answers
/// with <see cref="Status"/>, or holds the request until the receiver is disposed when <see cref="Hang"/> is set.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly ConcurrentQueue<int> _script = new();

    private WebhookReceiver(WebApplication app)
    {
        _app = app;
    }

    /// <summary>The address to post to (ends with <c>/hooks/FAKE-secret-path</c>: a path that stands for a secret in it).</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>The status answered. Default 200.</summary>
    public int Status { get; set; } = (int)HttpStatusCode.OK;

    /// <summary>Answers the next requests with these statuses, one each, in order; then <see cref="Status"/> again.</summary>
    public void AnswerNext(params int[] statuses)
    {
        foreach (var status in statuses)
        {
            _script.Enqueue(status);
        }
    }

    /// <summary>Hold each request without answering until disposal.</summary>
    public bool Hang { get; set; }

    /// <summary>What was received so far, in order of arrival.</summary>
    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hooks/{**rest}", receiver.HandleAsync);
        await app.StartAsync();
        var address = new Uri(app.Urls.First());
        receiver.Url = new Uri(address, "/hooks/FAKE-secret-path");
        return receiver;
    }

    /// <summary>Waits until at least <paramref name="count"/> requests were received, or fails after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (_received.Count < count)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _arrived.WaitAsync(left))
            {
                throw new TimeoutException($"the webhook receiver got {_received.Count} requests within {timeout}, expected {count}");
            }
        }

        return Received;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
        _arrived.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var status = _script.TryDequeue(out var scripted) ? scripted : Status;
        _received.Enqueue(new ReceivedWebhook(context.Request.Path.Value ?? "", headers, body.ToArray()));
        _arrived.Release();
        if (Hang)
        {
            using var held = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, context.RequestAborted);
            try
            {
                await Task.Delay(Timeout.Infinite, held.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        context.Response.StatusCode = status;
    }
}
