using System.Text;
using Keywarden.Core.Keys;

namespace Keywarden.Gateway.Tokens;

/// <summary>
/// Where and how to forward for one upstream: its address and its current real key, in the form
/// the upstream expects. Immutable: a rotation swaps the whole target, so a request in flight keeps
/// the key it started with.
/// </summary>
public sealed class UpstreamTarget
{
    internal UpstreamTarget(string upstreamId, string upstreamName, string keyId, UpstreamKey key, Uri? baseUrl)
    {
        UpstreamId = upstreamId;
        UpstreamName = upstreamName;
        KeyId = keyId;
        Kind = key.Kind;
        var address = baseUrl ?? key.DefaultBaseAddress;
        DestinationPrefix = address.GetLeftPart(UriPartial.Path).TrimEnd('/');
        Key = key.Value;
        AuthorizationHeader = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("keywarden:" + key.Value));
    }

    public string UpstreamId { get; }

    public string UpstreamName { get; }

    public string KeyId { get; }

    public UpstreamKind Kind { get; }

    /// <summary>Scheme, host, port and base path, without a trailing slash.</summary>
    public string DestinationPrefix { get; }

    /// <summary>The real key (Transactional body injection). Never logged.</summary>
    public string Key { get; }

    /// <summary>The real key as a Basic header value, for an API that takes the key that way (Marketing). Never logged.</summary>
    public string AuthorizationHeader { get; }

    public override string ToString() => $"{UpstreamName} ({KeyId})";
}
