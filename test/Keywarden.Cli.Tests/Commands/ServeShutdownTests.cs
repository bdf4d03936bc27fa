using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Keywarden.Cli.Tests.Commands;

/// <summary>SIGTERM, as systemd or a container runtime sends it: stop accepting, drain, flush the audit, exit 0.</summary>
public sealed class ServeShutdownTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sigterm_RefusesNewConnections_LetsTheRequestInFlightFinish_AuditsIt_AndExitsZero()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        await cli.AddSandboxUpstreamAsync("news");
        var issue = await cli.RunAsync("token", "issue", "--upstream", "news", "--name", "slow", "--path", "/lists/**", "--json");
        Assert.True(issue.ExitCode == 0, issue.All);
        var token = JsonDocument.Parse(issue.Out).RootElement.GetProperty("token").GetString()!;
        using var serve = ServeProcess.Start(cli, "serve", "--listen", "http://127.0.0.1:0", "--shutdown-timeout", "30s");
        var baseAddress = await serve.ListeningAsync();
        using var client = new HttpClient { BaseAddress = baseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("app:" + token)));

        // The upstream holds the request: it is in flight at the gateway when the signal comes.
        using var hold = cli.Sandbox.State.HoldRequests();
        var inFlight = client.GetAsync("3.0/lists/in-flight-at-sigterm", Ct);
        await hold.WaitForHeldAsync(1, Ct);
        serve.Signal("TERM");
        await WaitUntilRefusedAsync(baseAddress);

        // A negative can only be watched for a while: 3 s outlasts System.CommandLine's own 2-second termination
        // timeout, which used to end the process in the middle of the drain. No signal would say "it did not exit".
        var exit = serve.WaitForExitAsync();
        var exitedWhileHeld = await Task.WhenAny(exit, Task.Delay(TimeSpan.FromSeconds(3), Ct)) == exit;
        hold.Release();
        using var response = await inFlight;
        await exit;

        Assert.False(exitedWhileHeld, $"the gateway exited with a request in flight; stderr: {string.Join(" | ", serve.Error)}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode); // Mailchimp's answer (no such list), not a cut connection
        Assert.True(serve.ExitCode == 0, $"exit {serve.ExitCode}; stderr: {string.Join(" | ", serve.Error)}");
        var export = await cli.RunAsync("audit", "export");
        var record = Assert.Single(
            export.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement),
            r => r.GetProperty("kind").GetString() == "request" && r.GetProperty("path").GetString() == "/lists/in-flight-at-sigterm");
        Assert.Equal("allow", record.GetProperty("decision").GetString());
        Assert.Equal(0, (await cli.RunAsync("audit", "verify")).ExitCode);
    }

    [Fact]
    public async Task AShutdownTimeoutThatIsNotADuration_IsRefusedWithExitCode2()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();

        var run = await cli.RunAsync("serve", "--listen", "http://127.0.0.1:0", "--shutdown-timeout", "soon");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: invalid --shutdown-timeout 'soon'", run.Error, StringComparison.Ordinal);
    }

    /// <summary>Until a new connection to the listener is refused: the listener closes first thing on SIGTERM.</summary>
    private static async Task WaitUntilRefusedAsync(Uri address)
    {
        var deadline = Stopwatch.GetTimestamp() + (30 * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            using var probe = new TcpClient();
            try
            {
                await probe.ConnectAsync(address.Host, address.Port, Ct);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
            {
                return;
            }

            await Task.Delay(20, Ct);
        }

        Assert.Fail($"{address} still accepted connections 30 s after SIGTERM");
    }
}
