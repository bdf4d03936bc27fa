using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Keywarden.Cli.Tests.Commands;

/// <summary>
/// "Audit or refuse" across a crash: a real <c>keywarden serve</c> process under load from many connections, killed
/// with SIGKILL, and then every response a client received (allowed or refused) has its record in the audit log, and
/// the chain is intact.
/// </summary>
public sealed class ServeCrashTests
{
    private const int Workers = 16;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Serve_KilledUnderLoad_LosesNoRecordOfAnAnsweredRequest()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        await cli.AddSandboxUpstreamAsync("news");
        var issue = await cli.RunAsync("token", "issue", "--upstream", "news", "--name", "load", "--path", "/lists/**", "--json");
        Assert.True(issue.ExitCode == 0, issue.All);
        var token = JsonDocument.Parse(issue.Out).RootElement.GetProperty("token").GetString()!;

        using var serve = ServeProcess.Start(cli, "serve", "--listen", "http://127.0.0.1:0");
        var baseAddress = await serve.ListeningAsync();
        var answered = new ConcurrentQueue<(string Path, int Status)>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var load = Enumerable.Range(0, Workers).Select(w => Task.Run(() => LoadAsync(baseAddress, token, w, answered, stop.Token), Ct)).ToArray();

        // Under load for a while, then the crash, with requests in flight.
        var deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 20);
        while (answered.Count < 1500 && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(20, Ct);
        }

        serve.Kill(); // SIGKILL: no shutdown, no flush
        await serve.WaitForExitAsync();
        await stop.CancelAsync();
        await Task.WhenAll(load);

        var export = await cli.RunAsync("audit", "export");
        Assert.True(export.ExitCode == 0, export.All);
        var recorded = export.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Where(r => r.GetProperty("kind").GetString() == "request")
            .ToLookup(r => r.GetProperty("path").GetString()!);
        var missing = answered.Where(a => !recorded[a.Path].Any()).ToList();
        var verify = await cli.RunAsync("audit", "verify");

        Assert.True(answered.Count >= 200, $"only {answered.Count} requests were answered before the crash");
        Assert.Contains(answered, a => a.Status == 403);
        Assert.Contains(answered, a => a.Status == 404); // allowed: the sandbox has no such list
        Assert.True(missing.Count == 0, $"{missing.Count} of {answered.Count} answered requests have no audit record, e.g. {string.Join(", ", missing.Take(5))}");
        foreach (var (path, status) in answered)
        {
            var record = Assert.Single(recorded[path]);
            Assert.Equal(status == 403 ? "deny" : "allow", record.GetProperty("decision").GetString());
        }

        Assert.True(verify.ExitCode == 0, verify.All);
    }

    /// <summary>
    /// One connection's worth of requests, each with a path of its own (so its record can be found): mostly allowed
    /// (a list the sandbox answers 404 for), every fifth outside the token's paths (403 from the gateway).
    /// </summary>
    private static async Task LoadAsync(Uri baseAddress, string token, int worker, ConcurrentQueue<(string, int)> answered, CancellationToken cancellationToken)
    {
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 }) { BaseAddress = baseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("load:" + token)));
        for (var n = 0; !cancellationToken.IsCancellationRequested; n++)
        {
            var path = n % 5 == 4 ? $"/automations/w{worker}n{n}" : $"/lists/w{worker}n{n}";
            try
            {
                using var response = await client.GetAsync("3.0" + path, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                answered.Enqueue((path, (int)response.StatusCode)); // the status line arrived: the client has an answer
            }
            catch (HttpRequestException)
            {
                return; // the gateway is gone
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
