using Keywarden.Application;
using Keywarden.Core.Providers;
using Keywarden.Mailchimp;
using Keywarden.Storage;
using Keywarden.Storage.Audit;
using Keywarden.Storage.Sqlite;

namespace Keywarden.Cli.Infrastructure;

/// <summary>Resolves the data directory and master key from options and environment, and opens the vault.</summary>
internal sealed class VaultFactory
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The storage engines this program ships; a plain path is a SQLite file.</summary>
    private static readonly StoreFactory Stores = new([new SqliteStoreProvider()]);

    private readonly CliContext _context;

    public VaultFactory(CliContext context, string? dataOption, string? masterKeyFileOption)
    {
        _context = context;
        Data = DataDirectory.Resolve(dataOption, context.GetEnvironment(DataDirectory.EnvironmentVariable), context.HomeDirectory);
        KeySource = new MasterKeySource(
            context.GetEnvironment(MasterKeySource.KeyVariable),
            masterKeyFileOption ?? context.GetEnvironment(MasterKeySource.FileVariable) ?? Data.RememberedMasterKeyFile() ?? Data.DefaultMasterKeyFile);
    }

    public DataDirectory Data { get; }

    /// <summary>Asks Mailchimp (or the upstream's base URL) about a key.</summary>
    public static IKeyVerifier Verifier { get; } = new MailchimpKeyVerifier(Http);

    public MasterKeySource KeySource { get; }

    public async Task<KeywardenVault> OpenAsync(CancellationToken cancellationToken)
    {
        Data.EnsureInitialized();
        var store = await CreateStoreAsync(cancellationToken);
        return await KeywardenVault.OpenAsync(store, KeySource, Verifier, _context.Time, cancellationToken);
    }

    /// <summary>Opens the data directory's store, creating it when missing (what <c>init</c> does; other commands check first).</summary>
    public Task<IKeywardenStore> CreateStoreAsync(CancellationToken cancellationToken) =>
        Stores.OpenAsync(Data.DatabasePath, _context.Time, cancellationToken);

    /// <summary>
    /// Opens the store alone, without the master key: enough to read the audit log. Records a gateway spooled and did not
    /// get into the store before it died are appended first, so the log read is the whole log.
    /// </summary>
    public async Task<IKeywardenStore> OpenStoreAsync(CancellationToken cancellationToken)
    {
        Data.EnsureInitialized();
        var store = await CreateStoreAsync(cancellationToken);
        try
        {
            await AuditSpool.RecoverAsync(Data.AuditSpoolDirectory, store, cancellationToken);
        }
        catch (StorageException e)
        {
            // Reading goes on (a read-only copy, another user's spool): the log read may lack what a gateway that stopped
            // abruptly still holds in its spool, and the gateway's next start adds it.
            await _context.Error.WriteLineAsync($"warning: the gateway's audit spool was not replayed ({e.Message}); records it holds are not in what follows");
        }

        return store;
    }
}
