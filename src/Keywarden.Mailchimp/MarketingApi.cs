using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Keywarden.Core.Keys;
using Keywarden.Core.Providers;

namespace Keywarden.Mailchimp;

/// <summary>
/// Mailchimp Marketing (API 3.0): keys <c>&lt;32 hex&gt;-&lt;dc&gt;</c>, verified with <c>GET /3.0/</c> on the key's
/// datacenter (the account root carries <c>account_id</c>), created and revoked on the datacenter's API keys page.
/// </summary>
internal sealed class MarketingApi : IUpstreamApi
{
    public UpstreamKind Kind => UpstreamKind.Marketing;

    public string Name => "marketing";

    public string DisplayName => "Marketing";

    public string BaseUrlVariable => "KEYWARDEN_MAILCHIMP_BASE_URL";

    public bool TryParseKey(string text, [NotNullWhen(true)] out UpstreamKey? key)
    {
        key = MarketingKey.TryParse(text, out var marketing) ? marketing : null;
        return key is not null;
    }

    public IReadOnlyList<SecretPattern> SecretPatterns { get; } = [new MarketingKeyPattern()];

    public Uri KeysPage(string? datacenter) => new($"https://{datacenter ?? "us1"}.admin.mailchimp.com/account/api/");

    public string CreateKeyStep(string keyName) => $"Click \"Create A Key\", name it \"{keyName}\" and click \"Generate Key\".";

    public string RevokeKeyStep(string oldKey) => $"revoke {oldKey} on the same page (\"Revoke\", type REVOKE)";

    public Task<KeyVerification> VerifyAsync(HttpClient http, UpstreamKey key, Uri? baseAddress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (key is not MarketingKey marketing)
        {
            throw new ArgumentException($"not a Marketing key: {key?.Kind}", nameof(key));
        }

        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseAddress ?? marketing.ApiBaseAddress, "3.0/"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("keywarden:" + marketing.Value)));
        return VerificationCall.SendAsync(http, request, static (status, body) => status switch
        {
            HttpStatusCode.OK => new KeyVerification(
                KeyVerificationStatus.Valid, VerificationCall.GetString(body, "account_id"), VerificationCall.GetString(body, "account_name")),
            HttpStatusCode.Unauthorized => new KeyVerification(
                KeyVerificationStatus.Invalid, Detail: VerificationCall.GetString(body, "title") ?? "API Key Invalid"),
            _ => new KeyVerification(
                KeyVerificationStatus.Unreachable, Detail: $"unexpected HTTP {(int)status} {VerificationCall.GetString(body, "title")}".TrimEnd()),
        }, cancellationToken);
    }
}
