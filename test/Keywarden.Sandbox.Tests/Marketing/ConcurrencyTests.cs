using System.Diagnostics;

namespace Keywarden.Sandbox.Tests.Marketing;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task EleventhSimultaneousRequest_Gets429ProblemJson()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        using var hold = sandbox.State.HoldRequests();
        var inFlight = Enumerable.Range(0, 10).Select(_ => sandbox.MarketingAsync(HttpMethod.Get, "ping")).ToList();
        await hold.WaitForHeldAsync(10, SandboxHarness.Ct);

        var eleventh = await sandbox.MarketingAsync(HttpMethod.Get, "ping");
        hold.Release();
        var first10 = await Task.WhenAll(inFlight);

        Assert.Equal(429, eleventh.Status);
        Assert.Equal("application/problem+json", eleventh.MediaType);
        Assert.Equal("Too Many Requests", eleventh.String("title"));
        Assert.Contains("10 simultaneous connections", eleventh.String("detail"), StringComparison.Ordinal);
        Assert.All(first10, reply => Assert.Equal(200, reply.Status));
        Assert.Equal(200, (await sandbox.MarketingAsync(HttpMethod.Get, "ping")).Status);
    }

    [Fact]
    public async Task ConcurrencyLimit_CountsEachKeySeparately()
    {
        await using var sandbox = await SandboxHarness.StartAsync(options => options.MaxConcurrentRequestsPerKey = 2);
        var otherKey = sandbox.State.CreateKey(sandbox.Account.AccountId, SandboxKeyKind.Marketing);
        var hold = sandbox.State.HoldRequests();
        var inFlight = new[] { sandbox.MarketingAsync(HttpMethod.Get, "ping"), sandbox.MarketingAsync(HttpMethod.Get, "ping") };
        await hold.WaitForHeldAsync(2, SandboxHarness.Ct);

        var sameKey = await sandbox.MarketingAsync(HttpMethod.Get, "ping");
        var otherKeyRequest = sandbox.MarketingAsync(HttpMethod.Get, "ping", key: otherKey.Key);
        await hold.WaitForHeldAsync(3, SandboxHarness.Ct);
        hold.Release();

        Assert.Equal(429, sameKey.Status);
        Assert.Contains("2 simultaneous connections", sameKey.String("detail"), StringComparison.Ordinal);
        Assert.Equal(200, (await otherKeyRequest).Status);
        Assert.All(await Task.WhenAll(inFlight), reply => Assert.Equal(200, reply.Status));
    }

    [Fact]
    public async Task ResponseDelay_HoldsEachResponseAtLeastThatLong()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        sandbox.State.ResponseDelay = TimeSpan.FromMilliseconds(150);
        var clock = Stopwatch.StartNew();

        var reply = await sandbox.MarketingAsync(HttpMethod.Get, "ping");

        Assert.Equal(200, reply.Status);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(150), $"answered after {clock.Elapsed}");
    }
}
