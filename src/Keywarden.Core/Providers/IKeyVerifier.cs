using Keywarden.Core.Keys;

namespace Keywarden.Core.Providers;

/// <summary>Proves a key works against its provider and tells which account it belongs to.</summary>
public interface IKeyVerifier
{
    /// <summary>
    /// Calls the provider with <paramref name="key"/>. <paramref name="baseAddress"/> overrides the
    /// provider's address (the sandbox, a test server); null means the real provider.
    /// Expected failures are returned, not thrown.
    /// </summary>
    Task<KeyVerification> VerifyAsync(UpstreamKey key, Uri? baseAddress, CancellationToken cancellationToken = default);
}
