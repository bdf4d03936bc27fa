using System.Collections.Concurrent;
using System.Net;
using Keywarden.Core.Rotation;
using Keywarden.Rotation;
using Keywarden.Rotation.Sinks;
using Keywarden.Sandbox;
using Keywarden.Testing;

namespace Keywarden.IntegrationTests.Rotation;

/// <summary>A whole rotation against the sandbox while clients keep calling through the gateway: not one request fails.</summary>
public sealed class ZeroDowntimeRotationTests
{
    private const int Clients = 8;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WholeRotation_UnderEightConcurrentClients_NoRequestFails_AndTheNewKeyServesAfterPromotion()
    {
        await using var gw = await KeywardenHost.StartAsync();
        var token = await gw.TokenAsync("news");
        var service = new RotationService(gw.Vault, gw.Verifier, new NoSinks(), TimeProvider.System, "tester");
        var failures = new ConcurrentQueue<string>();
        var completed = new long[Clients];
        var lastStarted = new long[Clients];
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var loops = Enumerable.Range(0, Clients).Select(i => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var started = TimeProvider.System.GetTimestamp();
                var answer = await gw.GetAsync("/3.0/ping", token);
                if (answer.Status != HttpStatusCode.OK)
                {
                    failures.Enqueue($"{(int)answer.Status} {answer.Body}");
                }

                Volatile.Write(ref lastStarted[i], started);
                Interlocked.Increment(ref completed[i]);
            }
        })).ToArray();

        await Wait.UntilAsync(() => Task.FromResult(completed.All(c => Volatile.Read(ref c) >= 5)), "every client is calling");
        await service.StartAsync("news", RotationReason.Scheduled, null, Ct);
        var newKey = gw.Sandbox.State.CreateKey(gw.MarketingKey.Info.AccountId, SandboxKeyKind.Marketing, "keywarden-news-new");
        gw.Sandbox.State.ClearRequests(); // keeps the sandbox's bounded request log to the rotation itself
        Assert.Equal(RotationState.AwaitingRevocation, (await service.SubmitAsync("news", newKey.Key, Ct)).State);

        // The person revokes the old key only once the gateway shows the promotion and no request it sent with the old key is still in flight.
        var promoted = await gw.Store.GetRevisionAsync(Ct);
        await Wait.UntilAsync(async () => await gw.GaugeAsync("keywarden_token_cache_revision") >= promoted, "the gateway loads the promotion");
        var visible = TimeProvider.System.GetTimestamp();
        await Wait.UntilAsync(() => Task.FromResult(lastStarted.All(s => Volatile.Read(ref s) > visible)), "every client sent a request after the promotion");
        gw.Sandbox.State.RevokeKey(gw.MarketingKey.KeyId);
        var confirmed = await service.ConfirmAsync("news", TimeSpan.Zero, TimeSpan.FromMilliseconds(50), Ct);
        var afterRevocation = completed.Sum();
        await Wait.UntilAsync(() => Task.FromResult(completed.Sum() >= afterRevocation + 50), "clients keep calling after the revocation");
        await stop.CancelAsync();
        await Task.WhenAll(loops);

        Assert.Empty(failures);
        Assert.Equal(RotationState.Revoked, confirmed.Rotation.State);
        var received = gw.Received.Where(r => r.Path.StartsWith("/3.0/ping", StringComparison.Ordinal)).ToList();
        var firstNew = received.FindIndex(r => r.KeyId == newKey.KeyId);
        Assert.True(firstNew >= 0, "the sandbox saw the new key");
        Assert.True(received.Count(r => r.KeyId == newKey.KeyId) >= 50);
        Assert.All(received.Skip(firstNew), r => Assert.Equal(200, r.Status));
        Assert.True(completed.Sum() > 100, $"only {completed.Sum()} requests were made");
    }

    private sealed class NoSinks : IKeySinkFactory
    {
        public IKeySink Create(string spec) => throw new SinkException("no sinks in this test");
    }
}
