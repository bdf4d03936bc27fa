using Keywarden.Storage;

namespace Keywarden.Application;

/// <summary>An upstream in use that a gateway cannot forward to, and why (never a secret).</summary>
public sealed record UnavailableUpstream(UpstreamRecord Upstream, string Problem);
