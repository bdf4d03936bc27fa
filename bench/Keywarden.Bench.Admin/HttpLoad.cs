using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace Keywarden.Bench;

/// <summary>GET requests with a bearer token over one loopback <see cref="HttpClient"/>, timed from send to the last body byte.</summary>
internal sealed class HttpLoad(HttpClient client, string token)
{
    /// <summary>One request; throws unless the answer is 200.</summary>
    public async Task<double> TimeAsync(string path, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var start = Stopwatch.GetTimestamp();
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        var body = await response.Content.ReadAsByteArrayAsync(ct);
        var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if (response.StatusCode != HttpStatusCode.OK || body.Length == 0)
        {
            throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode}");
        }

        return elapsed;
    }

    /// <summary>
    /// <paramref name="clients"/> loops in parallel, <paramref name="total"/> requests in all, or fewer when
    /// <paramref name="cap"/> has passed (no new request starts after it; the stats say how many were done).
    /// </summary>
    public async Task<LatencyStats> RunAsync(string path, int clients, int total, TimeSpan cap, CancellationToken ct)
    {
        var samples = new double[total];
        var next = -1;
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            int i;
            while (Stopwatch.GetElapsedTime(start) < cap && (i = Interlocked.Increment(ref next)) < total)
            {
                samples[i] = await TimeAsync(path, ct);
            }
        }, ct)));
        var wall = Stopwatch.GetElapsedTime(start);
        return LatencyStats.From(samples.Where(s => s > 0).ToArray(), wall);
    }
}
