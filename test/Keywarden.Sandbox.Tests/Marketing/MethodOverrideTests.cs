namespace Keywarden.Sandbox.Tests.Marketing;

public sealed class MethodOverrideTests
{
    [Fact]
    public async Task PostWithPatchOverride_IsHandledAsPatch()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var list = await sandbox.CreateListAsync("Before");
        var request = sandbox.MarketingRequest(HttpMethod.Post, $"lists/{list}", """{"name":"After"}""");
        request.Headers.Add("X-HTTP-Method-Override", "PATCH");

        var reply = await sandbox.SendAsync(request);

        Assert.Equal(200, reply.Status);
        Assert.Equal("After", reply.String("name"));
        var recorded = sandbox.State.Requests[^1];
        Assert.Equal("POST", recorded.Method);
        Assert.Equal("PATCH", recorded.EffectiveMethod);
        Assert.Equal("PATCH", recorded.Headers["X-HTTP-Method-Override"]);
    }

    [Fact]
    public async Task PostWithDeleteOverride_DeletesTheList()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var list = await sandbox.CreateListAsync();
        var request = sandbox.MarketingRequest(HttpMethod.Post, $"lists/{list}");
        request.Headers.Add("X-HTTP-Method-Override", "DELETE");

        var reply = await sandbox.SendAsync(request);

        Assert.Equal(204, reply.Status);
        Assert.Equal(404, (await sandbox.MarketingAsync(HttpMethod.Get, $"lists/{list}")).Status);
    }

    [Fact]
    public async Task OverrideOnGet_Returns422()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var request = sandbox.MarketingRequest(HttpMethod.Get, "ping");
        request.Headers.Add("X-HTTP-Method-Override", "DELETE");

        var reply = await sandbox.SendAsync(request);

        Assert.Equal(422, reply.Status);
        Assert.Equal("application/problem+json", reply.MediaType);
    }
}
