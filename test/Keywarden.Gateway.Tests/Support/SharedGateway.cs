using Keywarden.Testing;

namespace Keywarden.Gateway.Tests;

/// <summary>
/// One host (default options) for all the tests of a class: they run one after the other, each issuing its own
/// tokens and clearing the sandbox's logs first, so sharing saves the start-up without sharing state.
/// </summary>
public sealed class SharedGateway : IAsyncLifetime
{
    private KeywardenHost? _host;

    public async ValueTask InitializeAsync() => _host = await KeywardenHost.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    /// <summary>The shared host with empty sandbox request and message logs.</summary>
    internal KeywardenHost Fresh()
    {
        var host = _host ?? throw new InvalidOperationException("not initialised");
        host.Sandbox.State.ClearRequests();
        host.Sandbox.State.ClearSentMessages();
        return host;
    }
}
