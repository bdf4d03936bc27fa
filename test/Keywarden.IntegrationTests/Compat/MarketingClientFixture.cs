namespace Keywarden.IntegrationTests.Compat;

/// <summary>Runs test/compat/marketing.mjs once for all the assertions of <see cref="MarketingClientCompatTests"/>.</summary>
public sealed class MarketingClientFixture : IAsyncLifetime
{
    private CompatRun? _run;

    internal CompatRun Run => _run ?? throw new InvalidOperationException("not initialised");

    public async ValueTask InitializeAsync() =>
        _run = await CompatRun.StartAsync("marketing.mjs", "marketing", "us19", TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_run is not null)
        {
            await _run.DisposeAsync();
        }
    }
}
