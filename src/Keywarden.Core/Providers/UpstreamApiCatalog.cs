using System.Diagnostics.CodeAnalysis;
using Keywarden.Core.Keys;

namespace Keywarden.Core.Providers;

/// <summary>The upstream APIs Keywarden knows, looked up by kind or by name.</summary>
public sealed class UpstreamApiCatalog
{
    private readonly Dictionary<UpstreamKind, IUpstreamApi> _byKind;
    private readonly Dictionary<string, IUpstreamApi> _byName;

    /// <summary>A catalog of <paramref name="apis"/>; kinds and names must be distinct.</summary>
    public UpstreamApiCatalog(IEnumerable<IUpstreamApi> apis)
    {
        ArgumentNullException.ThrowIfNull(apis);
        All = [.. apis];
        _byKind = All.ToDictionary(a => a.Kind);
        _byName = All.ToDictionary(a => a.Name, StringComparer.Ordinal);
    }

    /// <summary>Every API, in the order given.</summary>
    public IReadOnlyList<IUpstreamApi> All { get; }

    /// <summary>Every API's <see cref="IUpstreamApi.Name"/>, e.g. for a command line's choices.</summary>
    public IEnumerable<string> Names => All.Select(a => a.Name);

    /// <summary>The API of <paramref name="kind"/>.</summary>
    /// <exception cref="KeyNotFoundException">No API of that kind is registered.</exception>
    public IUpstreamApi Get(UpstreamKind kind) =>
        _byKind.TryGetValue(kind, out var api) ? api : throw new KeyNotFoundException($"no upstream API of kind {kind} is registered");

    /// <summary>The API called <paramref name="name"/> (<c>marketing</c>).</summary>
    public bool TryGet(string name, [NotNullWhen(true)] out IUpstreamApi? api) => _byName.TryGetValue(name, out api);

    /// <summary>The API whose key format <paramref name="text"/> has, and the key.</summary>
    public bool TryParseAnyKey(string text, [NotNullWhen(true)] out IUpstreamApi? api, [NotNullWhen(true)] out UpstreamKey? key)
    {
        foreach (var candidate in All)
        {
            if (candidate.TryParseKey(text, out key))
            {
                api = candidate;
                return true;
            }
        }

        (api, key) = (null, null);
        return false;
    }
}
