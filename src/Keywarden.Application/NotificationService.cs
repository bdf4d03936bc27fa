using System.Security.Cryptography;
using Keywarden.Core.Crypto;
using Keywarden.Core.Monitoring;
using Keywarden.Storage;

namespace Keywarden.Application;

/// <summary>
/// Where alerts are sent: adds, lists and removes webhook targets, and opens one for sending. A target's URL (which may
/// itself be a secret: Slack's is) and its generated signing secret are sealed with the master key like an upstream key.
/// </summary>
public sealed class NotificationService
{
    /// <summary>What every signing secret starts with, so that a leaked one is recognisable.</summary>
    public const string SecretPrefix = "kwwh_";

    private readonly IKeywardenStore _store;
    private readonly MasterKey _masterKey;
    private readonly TimeProvider _time;
    private readonly AdminActor _actor;

    /// <param name="store">The store.</param>
    /// <param name="masterKey">Seals and opens the targets' URLs and secrets.</param>
    /// <param name="time">The clock.</param>
    /// <param name="actor">Who acts, as recorded in the audit log.</param>
    public NotificationService(IKeywardenStore store, MasterKey masterKey, TimeProvider time, string actor)
        : this(store, masterKey, time, new AdminActor(actor, null))
    {
    }

    /// <summary>The service acting for <paramref name="actor"/>: its name and client address go in every audit record it writes.</summary>
    public NotificationService(IKeywardenStore store, MasterKey masterKey, TimeProvider time, AdminActor actor)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(masterKey);
        _store = store;
        _masterKey = masterKey;
        _time = time;
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor.Name);
        _actor = actor;
    }

    /// <summary>
    /// Adds a webhook: alerts of <paramref name="minSeverity"/> and above raised from now on are posted to <paramref name="url"/>.
    /// The signing secret is generated and returned once.
    /// </summary>
    /// <exception cref="VaultException"><see cref="VaultErrorCode.WebhookUrlInvalid"/>.</exception>
    public async Task<AddedWebhook> AddWebhookAsync(string url, NotificationFormat format, AlertSeverity minSeverity, CancellationToken cancellationToken = default)
    {
        var parsed = ParseUrl(url);
        var id = RecordId.New("nt");
        var secret = SecretPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var display = Display(parsed);
        var now = _time.GetUtcNow();
        await _store.SetMasterKeyIdAsync(_masterKey.Id, cancellationToken);
        var record = new NotificationTargetRecord(id, format, minSeverity, display, EnvelopeCipher.Seal(_masterKey, id, parsed.AbsoluteUri + "\n" + secret), now);
        await _store.AddTargetAsync(
            record,
            AdminAudit.Entry(now, _actor, "notify.add", id, $"webhook {display} ({Word(format)}, {Word(minSeverity)} and above)"),
            cancellationToken);
        return new AddedWebhook(record, secret);
    }

    /// <summary>Every target, oldest first (URL and secret still sealed).</summary>
    public Task<IReadOnlyList<NotificationTargetRecord>> ListAsync(CancellationToken cancellationToken = default) => _store.ListTargetsAsync(cancellationToken);

    /// <summary>Removes a target; its pending deliveries are cancelled.</summary>
    /// <exception cref="VaultException"><see cref="VaultErrorCode.NotificationTargetNotFound"/>.</exception>
    public async Task RemoveAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var now = _time.GetUtcNow();
        if (!await _store.RemoveTargetAsync(id, AdminAudit.Entry(now, _actor, "notify.remove", id), cancellationToken))
        {
            throw new VaultException(VaultErrorCode.NotificationTargetNotFound, id);
        }
    }

    /// <summary>The target <paramref name="id"/> opened for sending, or null when it no longer exists.</summary>
    public async Task<WebhookEndpoint?> OpenAsync(string id, CancellationToken cancellationToken = default)
    {
        var record = await _store.FindTargetAsync(id, cancellationToken);
        if (record is null)
        {
            return null;
        }

        var opened = EnvelopeCipher.OpenString(_masterKey, record.Id, record.Secret);
        var separator = opened.IndexOf('\n', StringComparison.Ordinal);
        return new WebhookEndpoint(record.Id, new Uri(opened[..separator], UriKind.Absolute), opened[(separator + 1)..], record.Format);
    }

    /// <summary>The URL's display form: scheme, host and port, and an ellipsis for a path (which may hold a secret).</summary>
    public static string Display(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var origin = url.GetLeftPart(UriPartial.Authority);
        return url.AbsolutePath is "/" or "" && url.Query.Length == 0 ? origin + "/" : origin + "/…";
    }

    /// <summary>The lower-case word of a severity, as stored, exported and typed.</summary>
    public static string Word(AlertSeverity severity) => AlertAudit.Word(severity);

    /// <summary>The lower-case word of a format, as typed.</summary>
    public static string Word(NotificationFormat format) => format switch
    {
        NotificationFormat.Generic => "generic",
        NotificationFormat.Slack => "slack",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown notification format"),
    };

    private static Uri ParseUrl(string url)
    {
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var parsed))
        {
            throw new VaultException(VaultErrorCode.WebhookUrlInvalid, detail: "it is not an absolute URL");
        }

        if (parsed.Scheme != Uri.UriSchemeHttps && parsed.Scheme != Uri.UriSchemeHttp)
        {
            throw new VaultException(VaultErrorCode.WebhookUrlInvalid, detail: $"its scheme is '{parsed.Scheme}'; only http and https are sent to");
        }

        if (parsed.UserInfo.Length > 0)
        {
            throw new VaultException(VaultErrorCode.WebhookUrlInvalid, detail: "it carries a user name or password; put credentials in the path or use the signature");
        }

        if (parsed.Fragment.Length > 0)
        {
            throw new VaultException(VaultErrorCode.WebhookUrlInvalid, detail: "it has a fragment (#…), which is never sent");
        }

        return parsed;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
