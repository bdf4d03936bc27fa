namespace Keywarden.Storage;

/// <summary>
/// Opens the store a configured location names, choosing the engine by the location's scheme: <c>sqlite:PATH</c>, or a
/// plain path for the first (the embedded default) engine. Front ends compose it once with the engines they ship and
/// never name an engine's store class.
/// </summary>
public sealed class StoreFactory
{
    // Engines that are planned but not built: a location naming one is told so, rather than "unknown".
    private static readonly Dictionary<string, string> Planned = new(StringComparer.OrdinalIgnoreCase)
    {
        ["postgres"] = "PostgreSQL",
        ["postgresql"] = "PostgreSQL",
    };

    private readonly IReadOnlyList<IStoreProvider> _providers;

    /// <param name="providers">The engines; the first also opens locations without a scheme (plain paths).</param>
    public StoreFactory(IEnumerable<IStoreProvider> providers)
    {
        ArgumentNullException.ThrowIfNull(providers);
        _providers = [.. providers];
        if (_providers.Count == 0)
        {
            throw new ArgumentException("a store factory needs at least one engine", nameof(providers));
        }

        var duplicate = _providers.GroupBy(p => p.Scheme, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"two engines claim the scheme '{duplicate.Key}'", nameof(providers));
        }
    }

    /// <summary>What a location may look like with these engines, for messages: <c>sqlite:PATH or a plain path</c>.</summary>
    public string SupportedLocations => string.Join(", ", _providers.Select(p => p.Syntax)) + " or a plain path";

    /// <summary>Opens the store at <paramref name="location"/>.</summary>
    /// <param name="location"><c>scheme:rest</c> (e.g. <c>sqlite:/var/lib/keywarden/keywarden.db</c>), or a plain path.</param>
    /// <param name="timeProvider">The store's clock; the system clock by default.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <exception cref="StorageException">
    /// The scheme names no engine of this program (<see cref="StorageError.Unsupported"/>; the message names the scheme and
    /// the supported ones, never the rest of the location, which may hold a password), or the engine cannot open it.
    /// </exception>
    public Task<IKeywardenStore> OpenAsync(string location, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        var (provider, rest) = Resolve(location);
        return provider.OpenAsync(rest, timeProvider ?? TimeProvider.System, cancellationToken);
    }

    private (IStoreProvider Provider, string Location) Resolve(string location)
    {
        if (SchemeOf(location) is not { } scheme)
        {
            return (_providers[0], location);
        }

        var rest = location[(scheme.Length + 1)..];
        var provider = _providers.FirstOrDefault(p => string.Equals(p.Scheme, scheme, StringComparison.OrdinalIgnoreCase));
        if (provider is not null)
        {
            return string.IsNullOrWhiteSpace(rest)
                ? throw new StorageException(StorageError.Unsupported, $"the store location '{scheme}:' names no database: write {provider.Syntax}")
                : (provider, rest);
        }

        if (Planned.TryGetValue(scheme, out var engine))
        {
            throw new StorageException(
                StorageError.Unsupported,
                $"{engine} storage ({scheme}://…) is not built yet: use {SupportedLocations}");
        }

        throw new StorageException(StorageError.Unsupported, $"unknown store scheme '{scheme}:': use {SupportedLocations}");
    }

    /// <summary>
    /// The scheme of <paramref name="location"/> (RFC 3986: a letter, then letters, digits, '+', '-' or '.', then ':'),
    /// or null for a plain path. One letter is a Windows drive (<c>C:\data</c>), not a scheme.
    /// </summary>
    private static string? SchemeOf(string location)
    {
        var colon = location.IndexOf(':', StringComparison.Ordinal);
        if (colon < 2 || !char.IsAsciiLetter(location[0]))
        {
            return null;
        }

        for (var i = 1; i < colon; i++)
        {
            var c = location[i];
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
            {
                return null;
            }
        }

        return location[..colon];
    }
}
