using Keywarden.Core.Crypto;

namespace Keywarden.Storage.Contract;

/// <summary>
/// The base of every contract: a new database of the engine under test for each test, and a store opened on it.
/// An engine's test project derives each contract once and supplies <see cref="Database"/>.
/// </summary>
public abstract class StoreContract : IAsyncLifetime
{
    /// <summary>The store under test, opened on this test's database.</summary>
    protected IKeywardenStore Store { get; private set; } = null!;

    /// <summary>The master key the test's keys are sealed with.</summary>
    protected MasterKey Master { get; } = MasterKey.Generate();

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>This test's database: new and empty, of the engine under test. Disposed with the test.</summary>
    protected abstract IContractDatabase Database { get; }

    public virtual async ValueTask InitializeAsync() => Store = await Database.OpenAsync();

    public virtual async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        Master.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Another instance on the same database (another process, as far as the engine can tell).</summary>
    protected Task<IKeywardenStore> OpenAnotherInstanceAsync() => Database.OpenAsync();
}
