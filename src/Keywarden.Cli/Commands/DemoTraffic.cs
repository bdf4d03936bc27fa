using System.Collections.Concurrent;
using System.Net;

namespace Keywarden.Cli.Commands;

/// <summary>
/// The demo's background application: a few loops of real calls through the gateway with one token, each loop one
/// request at a time, counting what was served and what failed (anything but 200) while a rotation goes on.
/// </summary>
internal sealed class DemoTraffic : IAsyncDisposable
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop;
    private readonly long[] _lastStarted;
    private readonly TimeProvider _time;
    private readonly Task[] _loops;
    private readonly ConcurrentQueue<string> _failures = new();
    private long _served;
    private int _disposed;

    private DemoTraffic(Uri gateway, string token, string path, int clients, TimeProvider time, CancellationToken cancellationToken)
    {
        _http = new HttpClient { BaseAddress = gateway };
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _lastStarted = new long[clients];
        _time = time;
        var authorization = DemoGateway.Basic(token);
        _loops = [.. Enumerable.Range(0, clients).Select(i => Task.Run(() => LoopAsync(i, path, authorization), CancellationToken.None))];
    }

    public int Clients => _loops.Length;

    /// <summary>Requests answered 200 so far.</summary>
    public long Served => Interlocked.Read(ref _served);

    /// <summary>Requests that failed so far (status, or the exception's type).</summary>
    public IReadOnlyCollection<string> Failures => _failures;

    public static DemoTraffic Start(Uri gateway, string token, string path, int clients, TimeProvider time, CancellationToken cancellationToken) =>
        new(gateway, token, path, clients, time, cancellationToken);

    /// <summary>Waits until every loop has started a request after this call: none still runs on what the gateway held before.</summary>
    public Task WaitForFreshRequestsAsync(CancellationToken cancellationToken)
    {
        var since = _time.GetTimestamp();
        return WaitAsync(() => Enumerable.Range(0, _lastStarted.Length).All(i => Volatile.Read(ref _lastStarted[i]) > since), "a request from every client", cancellationToken);
    }

    /// <summary>Waits until the loops have been served a few times.</summary>
    public Task WaitUntilRunningAsync(CancellationToken cancellationToken) =>
        WaitAsync(() => Served >= Clients * 2, "the application's first answers", cancellationToken);

    /// <summary>Stops the loops (waiting for their last requests); safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
        _stop.Dispose();
        _http.Dispose();
    }

    private async Task WaitAsync(Func<bool> done, string what, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        while (!done())
        {
            if (_time.GetElapsedTime(started) > WaitLimit)
            {
                throw new CliException($"demo: no {what} through the gateway within {WaitLimit.TotalSeconds} s ({_failures.Count} failed requests)");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(5), _time, cancellationToken);
        }
    }

    private async Task LoopAsync(int index, string path, System.Net.Http.Headers.AuthenticationHeaderValue authorization)
    {
        while (!_stop.IsCancellationRequested)
        {
            Volatile.Write(ref _lastStarted[index], _time.GetTimestamp());
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.Authorization = authorization;
                using var response = await _http.SendAsync(request, _stop.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref _served);
                }
                else
                {
                    _failures.Enqueue($"{(int)response.StatusCode} {response.ReasonPhrase}");
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException e)
            {
                _failures.Enqueue(e.GetType().Name + (e.StatusCode is { } status ? $" {(int)status}" : ""));
            }
        }
    }
}
