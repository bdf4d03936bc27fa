namespace Keywarden.Sandbox.Tests;

public sealed class ServerTests
{
    [Fact]
    public async Task StartAsync_WithPortZero_BindsAFreeLoopbackPortEachTime()
    {
        await using var first = await SandboxHarness.StartAsync();
        await using var second = await SandboxHarness.StartAsync();

        Assert.Equal("127.0.0.1", first.Server.BaseAddress.Host);
        Assert.NotEqual(0, first.Server.BaseAddress.Port);
        Assert.NotEqual(first.Server.BaseAddress.Port, second.Server.BaseAddress.Port);
        Assert.EndsWith("/", first.Server.BaseAddress.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForShutdownAsync_CompletesWhenDisposed()
    {
        var sandbox = await SandboxHarness.StartAsync();
        var waiting = sandbox.Server.WaitForShutdownAsync(SandboxHarness.Ct);

        Assert.False(waiting.IsCompleted);
        await sandbox.DisposeAsync();
        await waiting.WaitAsync(TimeSpan.FromSeconds(10), SandboxHarness.Ct);
    }

    [Fact]
    public async Task DisposeAsync_ReleasesHeldRequestsSoTheyFinish()
    {
        var sandbox = await SandboxHarness.StartAsync();
        var hold = sandbox.State.HoldRequests();
        var pending = sandbox.MarketingAsync(HttpMethod.Get, "ping");
        await hold.WaitForHeldAsync(1, SandboxHarness.Ct);

        await sandbox.Server.DisposeAsync();

        Assert.True(hold.IsReleased);
        Assert.Equal(200, (await pending).Status);
        sandbox.Http.Dispose();
    }

    [Fact]
    public async Task StartAsync_WithInvalidOptions_Throws()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => SandboxServer.StartAsync(new SandboxOptions { MaxConcurrentRequestsPerKey = 0 }, SandboxHarness.Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => SandboxServer.StartAsync(new SandboxOptions { Urls = " " }, SandboxHarness.Ct));
    }
}
