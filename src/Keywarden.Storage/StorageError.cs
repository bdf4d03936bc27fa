namespace Keywarden.Storage;

/// <summary>Why a storage operation failed.</summary>
public enum StorageError
{
    /// <summary>Something with the same unique name or id exists.</summary>
    Conflict,

    /// <summary>A referenced record does not exist.</summary>
    NotFound,

    /// <summary>The store's schema is newer than this program understands, or is damaged.</summary>
    Incompatible,

    /// <summary>The store could not be read or written.</summary>
    Unavailable,

    /// <summary>The store's location names an engine this program does not have (see <see cref="StoreFactory"/>).</summary>
    Unsupported,
}
