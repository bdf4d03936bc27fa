using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Http.Json;
using Keywarden.Core.Keys;
using Keywarden.Core.Providers;

namespace Keywarden.Mailchimp;

/// <summary>
/// Mailchimp Transactional (Mandrill): keys of 22 characters (optionally <c>md-</c>), verified with
/// <c>POST /api/1.0/users/info.json</c> (which carries <c>username</c>), created and deleted in Mandrill's settings.
/// </summary>
internal sealed class TransactionalApi : IUpstreamApi
{
    public UpstreamKind Kind => UpstreamKind.Transactional;

    public string Name => "transactional";

    public string DisplayName => "Transactional";

    public string BaseUrlVariable => "KEYWARDEN_MANDRILL_BASE_URL";

    public bool TryParseKey(string text, [NotNullWhen(true)] out UpstreamKey? key)
    {
        key = TransactionalKey.TryParse(text, out var transactional) ? transactional : null;
        return key is not null;
    }

    public IReadOnlyList<SecretPattern> SecretPatterns { get; } = TransactionalKeyPatterns.All;

    public Uri KeysPage(string? datacenter) => TransactionalKey.AdminKeysPage;

    public string CreateKeyStep(string keyName) => $"Under API Keys click \"+ New API Key\", describe it as \"{keyName}\" and create it.";

    public string RevokeKeyStep(string oldKey) => $"delete {oldKey} on the same page";

    public Task<KeyVerification> VerifyAsync(HttpClient http, UpstreamKey key, Uri? baseAddress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (key is not TransactionalKey transactional)
        {
            throw new ArgumentException($"not a Transactional key: {key?.Kind}", nameof(key));
        }

        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseAddress ?? TransactionalKey.ApiBaseAddress, "api/1.0/users/info.json"))
        {
            Content = JsonContent.Create(new Dictionary<string, string> { ["key"] = transactional.Value }),
        };

        // Mandrill answers an invalid key with HTTP 500 and {"name": "Invalid_Key"}: the body decides, not the status.
        return VerificationCall.SendAsync(http, request, static (status, body) =>
        {
            if (status == HttpStatusCode.OK && VerificationCall.GetString(body, "username") is { } username)
            {
                return new KeyVerification(KeyVerificationStatus.Valid, username, username);
            }

            return VerificationCall.GetString(body, "name") == "Invalid_Key"
                ? new KeyVerification(KeyVerificationStatus.Invalid, Detail: "Invalid_Key")
                : new KeyVerification(KeyVerificationStatus.Unreachable, Detail: $"unexpected HTTP {(int)status} {VerificationCall.GetString(body, "name")}".TrimEnd());
        }, cancellationToken);
    }
}
