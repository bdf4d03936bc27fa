namespace Keywarden.IntegrationTests.Compat;

/// <summary>Runs test/compat/transactional.mjs once for all the assertions of <see cref="TransactionalClientCompatTests"/>.</summary>
public sealed class TransactionalClientFixture : IAsyncLifetime
{
    private CompatRun? _run;

    internal CompatRun Run => _run ?? throw new InvalidOperationException("not initialised");

    public async ValueTask InitializeAsync() =>
        _run = await CompatRun.StartAsync("transactional.mjs", "transactional", "us21", TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_run is not null)
        {
            await _run.DisposeAsync();
        }
    }
}
