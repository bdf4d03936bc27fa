namespace Keywarden.IntegrationTests.Compat;

/// <summary>Runs one compat script once, for all the assertions of a test class.</summary>
public abstract class CompatFixture : IAsyncLifetime
{
    private readonly string _script;
    private readonly string _kind;
    private readonly string _datacenter;
    private CompatRun? _run;

    protected CompatFixture(string script, string kind, string datacenter)
    {
        _script = script;
        _kind = kind;
        _datacenter = datacenter;
    }

    internal CompatRun Run => _run ?? throw new InvalidOperationException("not initialised");

    public async ValueTask InitializeAsync() =>
        _run = await CompatRun.StartAsync(_script, _kind, _datacenter, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_run is not null)
        {
            await _run.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
