namespace Keywarden.IntegrationTests.Gateway;

/// <summary>
/// One gateway (default options) for all the tests of a class: they run one after the other, each issuing its own
/// tokens and clearing the sandbox's request log first, so sharing saves the start-up without sharing state.
/// </summary>
public sealed class SharedGateway : IAsyncLifetime
{
    private GatewayFixture? _fixture;

    internal GatewayFixture Fixture => _fixture ?? throw new InvalidOperationException("not initialised");

    public async ValueTask InitializeAsync() => _fixture = await GatewayFixture.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_fixture is not null)
        {
            await _fixture.DisposeAsync();
        }
    }

    /// <summary>The shared gateway with an empty sandbox request log.</summary>
    internal GatewayFixture Fresh()
    {
        Fixture.Sandbox.State.ClearRequests();
        Fixture.Sandbox.State.ClearSentMessages();
        return Fixture;
    }
}
