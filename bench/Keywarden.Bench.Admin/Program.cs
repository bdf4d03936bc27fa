using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Keywarden.Application;
using Keywarden.Bench;
using Keywarden.Core.Policy;

// Admin API benchmark (issue 13): token listing with 10 000 tokens over loopback, and the login cost.
// Settings (environment): BENCH_TOKENS (10000), BENCH_REQUESTS (2000 per run), BENCH_CLIENTS (8), BENCH_WARMUP (200),
// BENCH_LOGINS (20), BENCH_CAP_SECONDS (30: no run or warm-up starts a request after this long; the table gives n). Progress goes to stderr, the markdown report to stdout.
var tokens = Setting("BENCH_TOKENS", 10_000);
var requests = Setting("BENCH_REQUESTS", 2_000);
var clients = Setting("BENCH_CLIENTS", 8);
var warmup = Setting("BENCH_WARMUP", 200);
var logins = Setting("BENCH_LOGINS", 20);
var cap = TimeSpan.FromSeconds(Setting("BENCH_CAP_SECONDS", 30));
var ct = CancellationToken.None;

await using var host = await AdminBenchHost.StartAsync(OperatorServiceOptions.Default, ct);
var session = await host.Operators.LoginAsync(AdminBenchHost.AdminName, host.Password, host.NextTotpCode(), AdminActor.Local, ct);
Progress($"admin API on {host.Api.Address}, admin logged in; issuing {tokens} tokens");

var issueStart = Stopwatch.GetTimestamp();
var policy = new TokenPolicy();
for (var i = 1; i <= tokens; i++)
{
    await host.Vault.Tokens.IssueAsync(AdminBenchHost.UpstreamName, $"app-{i:D5}", policy, ct);
    if (i % 1_000 == 0)
    {
        Progress($"issued {i} tokens ({Stopwatch.GetElapsedTime(issueStart).TotalSeconds:0.0} s)");
    }
}

var issueSeconds = Stopwatch.GetElapsedTime(issueStart).TotalSeconds;
using var http = new HttpClient { BaseAddress = host.Api.Address };
var load = new HttpLoad(http, session.Token);

// A page deep in the cursor chain: follow next_cursor at limit=100 to the 90th page (tokens 8 901 to 9 000 of 10 000).
var deepPage = Math.Max(1, tokens / 100 * 9 / 10);
string? cursor = null;
string? middleId = null;
for (var page = 1; page < deepPage; page++)
{
    using var document = await GetJsonAsync($"v1/tokens?limit=100{(cursor is null ? "" : "&cursor=" + cursor)}");
    cursor = document.RootElement.GetProperty("next_cursor").GetString() ?? throw new InvalidOperationException("the cursor chain ended early");
    if (page == deepPage / 2)
    {
        middleId = document.RootElement.GetProperty("tokens")[0].GetProperty("id").GetString();
    }
}

middleId ??= (await GetJsonAsync("v1/tokens?limit=1")).RootElement.GetProperty("tokens")[0].GetProperty("id").GetString();
var cases = new (string Label, string Path)[]
{
    ("first page, default size (1000)", "v1/tokens"),
    ("first page, limit=100", "v1/tokens?limit=100"),
    ($"page {deepPage} of the cursor chain, limit=100", $"v1/tokens?limit=100{(cursor is null ? "" : "&cursor=" + cursor)}"),
    ("one token, GET /v1/tokens/{id}", "v1/tokens/" + middleId),
};

var rows = new List<string>();
foreach (var (label, path) in cases)
{
    Progress($"{label}: warm-up {warmup}");
    await load.RunAsync(path, 1, warmup, cap / 2, ct);

    Progress($"{label}: {requests} sequential");
    rows.Add(Row(label, "1", await load.RunAsync(path, 1, requests, cap, ct)));
    Progress($"{label}: {requests} over {clients} clients");
    rows.Add(Row(label, clients.ToString(CultureInfo.InvariantCulture), await load.RunAsync(path, clients, requests, cap, ct)));
}

Progress($"login cost: {logins} each of right, wrong password, unknown name");
var (right, wrong, unknown) = await LoginCost.MeasureAsync(host, logins, ct);

var options = OperatorServiceOptions.Default;
Console.WriteLine($"## Admin API: {tokens} tokens, loopback, in-process");
Console.WriteLine();
Console.WriteLine($"{Environment.ProcessorCount} CPUs, .NET {Environment.Version}, SQLite vault; {tokens} tokens issued through TokenService in {issueSeconds:0.0} s ({tokens / issueSeconds:0} /s).");
Console.WriteLine($"Each run: up to {warmup} warm-up requests, then up to {requests} requests (sequential, or shared by {clients} concurrent clients on one HttpClient), none started after {cap.TotalSeconds:0} s (n says how many); latency from send to the last body byte.");
Console.WriteLine();
Console.WriteLine("| request | clients | n | p50 ms | p90 ms | p99 ms | max ms | req/s |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
rows.ForEach(Console.WriteLine);
Console.WriteLine();
Console.WriteLine($"### Login cost (OperatorService.LoginAsync in-process, Argon2id {options.PasswordMemoryKib} KiB x {options.PasswordPasses} passes = OperatorServiceOptions.Default)");
Console.WriteLine();
Console.WriteLine("Right logins use a fresh TOTP step each (the operators' clock is a FakeTimeProvider advanced 30 s per login, TOTP computed with Otp.NET), each session logged out after.");
Console.WriteLine("Failures come from a new client address each (the per-address limit would otherwise answer without hashing); the account locks after 10 wrong passwords, and the locked check still hashes.");
Console.WriteLine();
Console.WriteLine("| login | n | p50 ms | max ms |");
Console.WriteLine("|---|---:|---:|---:|");
Console.WriteLine($"| right password + TOTP | {right.Count} | {LatencyStats.Ms(right.P50)} | {LatencyStats.Ms(right.Max)} |");
Console.WriteLine($"| wrong password | {wrong.Count} | {LatencyStats.Ms(wrong.P50)} | {LatencyStats.Ms(wrong.Max)} |");
Console.WriteLine($"| unknown name | {unknown.Count} | {LatencyStats.Ms(unknown.P50)} | {LatencyStats.Ms(unknown.Max)} |");
return 0;

async Task<JsonDocument> GetJsonAsync(string path)
{
    using var request = new HttpRequestMessage(HttpMethod.Get, path);
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.Token);
    using var response = await http.SendAsync(request, ct);
    response.EnsureSuccessStatusCode();
    return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
}

static string Row(string label, string clients, LatencyStats s) =>
    $"| {label} | {clients} | {s.Count} | {LatencyStats.Ms(s.P50)} | {LatencyStats.Ms(s.P90)} | {LatencyStats.Ms(s.P99)} | {LatencyStats.Ms(s.Max)} | {s.RequestsPerSecond:0} |";

static int Setting(string name, int fallback) =>
    int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;

static void Progress(string message) => Console.Error.WriteLine($"[admin-bench] {message}");
