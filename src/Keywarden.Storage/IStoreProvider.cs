namespace Keywarden.Storage;

/// <summary>One storage engine, as <see cref="StoreFactory"/> sees it: a scheme and a way to open a store.</summary>
public interface IStoreProvider
{
    /// <summary>The scheme of the locations this engine opens, lower case: <c>sqlite</c> for <c>sqlite:PATH</c>.</summary>
    string Scheme { get; }

    /// <summary>How a location of this engine is written, for messages: <c>sqlite:PATH</c>.</summary>
    string Syntax { get; }

    /// <summary>Opens (creating and migrating when needed) the store at <paramref name="location"/>, the part after the scheme.</summary>
    /// <exception cref="StorageException">The store cannot be opened.</exception>
    Task<IKeywardenStore> OpenAsync(string location, TimeProvider timeProvider, CancellationToken cancellationToken = default);
}
