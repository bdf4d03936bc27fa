using Microsoft.Extensions.Time.Testing;

namespace Keywarden.Sandbox.Tests;

public sealed class ClockTests
{
    private static readonly DateTimeOffset Start = new(2024, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Timestamps_ComeFromTheInjectedTimeProvider()
    {
        var clock = new FakeTimeProvider(Start);
        await using var sandbox = await SandboxHarness.StartAsync(options => options.TimeProvider = clock);

        var list = await sandbox.MarketingAsync(HttpMethod.Post, "lists", SandboxHarness.ListJson("Dated"));
        clock.Advance(TimeSpan.FromDays(1));
        sandbox.State.RevokeKey(sandbox.TransactionalKey.KeyId);
        var info = await sandbox.TransactionalAsync("users/info", [], key: sandbox.State.CreateKey(sandbox.Account.AccountId, SandboxKeyKind.Transactional).Key);

        Assert.Equal("2024-03-01T12:00:00+00:00", list.String("date_created"));
        Assert.Equal(Start, sandbox.State.Requests[0].Time);
        Assert.Equal(Start, sandbox.Account.CreatedAt);
        Assert.Equal(Start.AddDays(1), sandbox.State.GetKey(sandbox.TransactionalKey.KeyId).RevokedAt);
        Assert.Equal("2024-03-01 12:00:00", info.String("created_at"));
    }
}
