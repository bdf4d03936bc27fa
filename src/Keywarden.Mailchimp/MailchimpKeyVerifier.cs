using Keywarden.Core.Keys;
using Keywarden.Core.Providers;

namespace Keywarden.Mailchimp;

/// <summary>Verifies a key with the API of its kind, looked up in a catalog (by default <see cref="MailchimpApis.Catalog"/>).</summary>
public sealed class MailchimpKeyVerifier : IKeyVerifier
{
    private readonly HttpClient _http;
    private readonly UpstreamApiCatalog _apis;

    /// <summary>Creates the verifier over an <see cref="HttpClient"/> whose lifetime the caller owns.</summary>
    public MailchimpKeyVerifier(HttpClient http, UpstreamApiCatalog? apis = null)
    {
        _http = http;
        _apis = apis ?? MailchimpApis.Catalog;
    }

    /// <inheritdoc />
    public Task<KeyVerification> VerifyAsync(UpstreamKey key, Uri? baseAddress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _apis.Get(key.Kind).VerifyAsync(_http, key, baseAddress, cancellationToken);
    }
}
