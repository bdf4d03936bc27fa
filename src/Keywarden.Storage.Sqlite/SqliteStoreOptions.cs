namespace Keywarden.Storage.Sqlite;

/// <summary>How a <see cref="SqliteKeywardenStore"/> behaves beyond its file.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>The default <see cref="ChangePollInterval"/>: 100 ms, the interval the gateway's token cache has always polled at.</summary>
    public static readonly TimeSpan DefaultChangePollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How often <see cref="IStoreChanges.WaitForChangeAsync"/> reads the revision while it waits (SQLite cannot notify
    /// another process): one cheap read per interval and waiter. <see cref="DefaultChangePollInterval"/> unless set.
    /// </summary>
    public TimeSpan ChangePollInterval { get; init; } = DefaultChangePollInterval;

    /// <exception cref="ArgumentOutOfRangeException">An interval is not positive.</exception>
    internal void Validate() =>
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ChangePollInterval, TimeSpan.Zero, nameof(ChangePollInterval));
}
