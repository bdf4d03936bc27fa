using System.Text.RegularExpressions;
using Keywarden.Core.Crypto;
using Keywarden.Core.Keys;
using Keywarden.Core.Providers;
using Keywarden.Storage;

namespace Keywarden.Application;

/// <summary>Adds, lists, verifies and removes upstreams, sealing each key before it is stored (as <c>RotationService</c> seals the key it stages).</summary>
public sealed partial class UpstreamService
{
    private readonly IKeywardenStore _store;
    private readonly MasterKey _masterKey;
    private readonly IKeyVerifier _verifier;
    private readonly TimeProvider _time;
    private readonly AdminActor _actor;

    public UpstreamService(IKeywardenStore store, MasterKey masterKey, IKeyVerifier verifier, TimeProvider time)
        : this(store, masterKey, verifier, time, AdminAudit.DefaultActor)
    {
    }

    /// <param name="store">The store.</param>
    /// <param name="masterKey">The master key that seals new keys.</param>
    /// <param name="verifier">Checks keys against the provider.</param>
    /// <param name="time">The clock.</param>
    /// <param name="actor">Who acts, as recorded in the audit log (the OS user, or <c>admin-api</c>).</param>
    public UpstreamService(IKeywardenStore store, MasterKey masterKey, IKeyVerifier verifier, TimeProvider time, string actor)
        : this(store, masterKey, verifier, time, new AdminActor(actor, null))
    {
    }

    /// <summary>The service acting for <paramref name="actor"/>: its name and client address go in every audit record it writes.</summary>
    public UpstreamService(IKeywardenStore store, MasterKey masterKey, IKeyVerifier verifier, TimeProvider time, AdminActor actor)
    {
        _store = store;
        _masterKey = masterKey;
        _verifier = verifier;
        _time = time;
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor.Name);
        _actor = actor;
    }

    /// <summary>
    /// Parses, verifies (unless told not to), seals and stores a key as a new upstream.
    /// Nothing is stored unless every step succeeds.
    /// </summary>
    public async Task<(UpstreamView Upstream, KeyVerification? Verification)> AddAsync(AddUpstreamRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ValidateName(request.Name);
        if (request.MaxKeyAge <= TimeSpan.Zero)
        {
            throw new VaultException(VaultErrorCode.MaxKeyAgeNotPositive);
        }

        UpstreamKey key;
        try
        {
            key = UpstreamKey.Parse(request.Kind, request.KeyText);
        }
        catch (FormatException e)
        {
            throw new VaultException(VaultErrorCode.KeyMalformed, detail: e.Message, innerException: e);
        }

        if (await _store.FindUpstreamAsync(request.Name, cancellationToken) is not null)
        {
            throw new VaultException(VaultErrorCode.UpstreamExists, request.Name);
        }

        foreach (var existing in await _store.ListUpstreamsAsync(cancellationToken))
        {
            foreach (var stored in await _store.ListKeysAsync(existing.Id, cancellationToken))
            {
                if (stored.Fingerprint == key.Fingerprint)
                {
                    throw new VaultException(VaultErrorCode.KeyAlreadyStored, existing.Name);
                }
            }
        }

        KeyVerification? verification = null;
        if (request.Verify)
        {
            verification = await _verifier.VerifyAsync(key, request.BaseUrl, cancellationToken);
            switch (verification.Status)
            {
                case KeyVerificationStatus.Invalid:
                    throw new VaultException(VaultErrorCode.KeyRefused, request.Name, verification.Detail);
                case KeyVerificationStatus.Unreachable:
                    throw new VaultException(VaultErrorCode.KeyNotVerified, request.Name, verification.Detail);
            }
        }

        var now = _time.GetUtcNow();
        var upstream = new UpstreamRecord(
            RecordId.New("up"),
            request.Name,
            key.Kind,
            (key as MarketingKey)?.Datacenter,
            request.BaseUrl,
            verification?.AccountId,
            request.MaxKeyAge,
            now);
        var keyId = RecordId.New("key");
        var keyRecord = new UpstreamKeyRecord(
            keyId,
            upstream.Id,
            KeySlot.Current,
            key.Prefix,
            string.IsNullOrWhiteSpace(request.KeyLabel) ? null : request.KeyLabel.Trim(),
            key.Fingerprint,
            EnvelopeCipher.Seal(_masterKey, keyId, key.Value),
            now,
            verification is null ? null : now);

        await EnsureMasterKeyAsync(cancellationToken);
        var proof = verification is null ? "stored unverified" : $"verified, account {verification.AccountId}";
        await _store.AddUpstreamAsync(
            upstream,
            keyRecord,
            AdminAudit.Entry(now, _actor, "upstream.add", upstream.Name, $"{upstream.Kind} key {KeyDisplay.Describe(keyRecord.Prefix, keyRecord.Label)}, {proof}")
                with { UpstreamId = upstream.Id, KeyId = keyRecord.Id },
            cancellationToken);
        return (new UpstreamView(upstream, keyRecord, 0), verification);
    }

    /// <summary>All upstreams with their current key's description and active token count.</summary>
    public async Task<IReadOnlyList<UpstreamView>> ListAsync(CancellationToken cancellationToken = default)
    {
        var tokens = await _store.ListTokensAsync(cancellationToken);
        var views = new List<UpstreamView>();
        foreach (var upstream in await _store.ListUpstreamsAsync(cancellationToken))
        {
            var keys = await _store.ListKeysAsync(upstream.Id, cancellationToken);
            views.Add(new UpstreamView(
                upstream,
                keys.FirstOrDefault(k => k.Slot == KeySlot.Current),
                tokens.Count(t => t.UpstreamId == upstream.Id && t.RevokedAt is null)));
        }

        return views;
    }

    /// <summary>Verifies an upstream's current key against the provider and records a success.</summary>
    public async Task<(UpstreamView Upstream, KeyVerification Verification)> VerifyAsync(string name, CancellationToken cancellationToken = default)
    {
        var upstream = await RequireAsync(name, cancellationToken);
        var current = (await _store.ListKeysAsync(upstream.Id, cancellationToken)).FirstOrDefault(k => k.Slot == KeySlot.Current)
            ?? throw new VaultException(VaultErrorCode.NoCurrentKey, name);
        var key = Open(current, upstream.Kind);
        var verification = await _verifier.VerifyAsync(key, upstream.BaseUrl, cancellationToken);
        if (verification.Status == KeyVerificationStatus.Valid)
        {
            if (upstream.AccountId is not null && verification.AccountId is not null && upstream.AccountId != verification.AccountId)
            {
                return (new UpstreamView(upstream, current, 0), verification with
                {
                    Status = KeyVerificationStatus.Invalid,
                    Detail = $"the key now belongs to account {verification.AccountId}, not {upstream.AccountId}",
                });
            }

            var now = _time.GetUtcNow();
            await _store.MarkVerifiedAsync(current.Id, verification.AccountId, now, cancellationToken);
            current = current with { VerifiedAt = now };
        }

        return (new UpstreamView(upstream, current, 0), verification);
    }

    /// <summary>Removes an upstream, its sealed keys, and revokes its tokens.</summary>
    public async Task<int> RemoveAsync(string name, CancellationToken cancellationToken = default)
    {
        var upstream = await RequireAsync(name, cancellationToken);
        var active = (await _store.ListTokensAsync(cancellationToken)).Count(t => t.UpstreamId == upstream.Id && t.RevokedAt is null);
        var now = _time.GetUtcNow();
        var audit = AdminAudit.Entry(now, _actor, "upstream.remove", name, $"its keys deleted, {active} active token(s) revoked") with { UpstreamId = upstream.Id };
        if (!await _store.RemoveUpstreamAsync(name, now, audit, cancellationToken))
        {
            throw new VaultException(VaultErrorCode.UpstreamNotFound, name);
        }

        return active;
    }

    /// <summary>Decrypts a stored key. The result is a secret: never log or print it.</summary>
    public UpstreamKey Open(UpstreamKeyRecord record, UpstreamKind kind) => Open(_masterKey, record, kind);

    /// <summary>Decrypts a stored key with <paramref name="masterKey"/>.</summary>
    /// <exception cref="VaultException">It does not open (another master key, a damaged record).</exception>
    /// <exception cref="FormatException">It opens but is not a key of <paramref name="kind"/> (the message never holds the text).</exception>
    internal static UpstreamKey Open(MasterKey masterKey, UpstreamKeyRecord record, UpstreamKind kind)
    {
        ArgumentNullException.ThrowIfNull(record);
        try
        {
            return UpstreamKey.Parse(kind, EnvelopeCipher.OpenString(masterKey, record.Id, record.Secret));
        }
        catch (KeywardenCryptoException e)
        {
            throw new VaultException(VaultErrorCode.KeyDoesNotOpen, record.Id, e.Message, e);
        }
    }

    internal async Task<UpstreamRecord> RequireAsync(string name, CancellationToken cancellationToken) =>
        await _store.FindUpstreamAsync(name, cancellationToken)
            ?? throw new VaultException(VaultErrorCode.UpstreamNotFound, name);

    private async Task EnsureMasterKeyAsync(CancellationToken cancellationToken)
    {
        var recorded = await _store.GetMasterKeyIdAsync(cancellationToken);
        if (recorded is null)
        {
            await _store.SetMasterKeyIdAsync(_masterKey.Id, cancellationToken);
        }
        else if (recorded != _masterKey.Id)
        {
            throw new VaultException(VaultErrorCode.WrongMasterKey, recorded, _masterKey.Id);
        }
    }

    private static void ValidateName(string name)
    {
        if (!NamePattern().IsMatch(name))
        {
            throw new VaultException(VaultErrorCode.UpstreamNameInvalid, name);
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,62}$")]
    private static partial Regex NamePattern();
}
