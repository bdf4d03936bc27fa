namespace Keywarden.Storage;

/// <summary>Everything Keywarden persists. SQLite is the embedded default; PostgreSQL serves several instances.</summary>
public interface IKeywardenStore : IUpstreamStore, ITokenStore, ISecretStore, IAuditStore, IRotationStore, IAlertStore, INotificationStore, IOperatorStore, IStoreChanges, ISnapshotStore, IAsyncDisposable
{
    /// <summary>Creates or upgrades the schema (versioned migrations, each in a transaction).</summary>
    Task MigrateAsync(CancellationToken cancellationToken = default);
}
