using Keywarden.Application;
using Keywarden.Core.Audit;
using Keywarden.Core.Crypto;
using Keywarden.Core.Keys;
using Keywarden.Core.Providers;
using Keywarden.Core.Rotation;
using Keywarden.Mailchimp;
using Keywarden.Rotation.Sinks;
using Keywarden.Storage;
using Microsoft.Extensions.Logging;

namespace Keywarden.Rotation;

/// <summary>
/// Runs the Mailchimp key rotation runbook through <see cref="RotationMachine"/>, persisting every
/// step (one transaction, audited) before taking the next, so that any command resumes a rotation
/// interrupted anywhere: <see cref="ResumeAsync"/> drives an in-between state forward idempotently.
/// </summary>
public sealed class RotationService
{
    private readonly KeywardenVault _vault;
    private readonly IKeywardenStore _store;
    private readonly IKeyVerifier _verifier;
    private readonly IKeySinkFactory _sinks;
    private readonly TimeProvider _time;
    private readonly AdminActor _actor;
    private readonly Action<RotationState>? _afterStep;

    /// <param name="vault">The opened vault (store and master key).</param>
    /// <param name="verifier">Asks the provider about keys.</param>
    /// <param name="sinks">Builds the sinks configured for an upstream.</param>
    /// <param name="time">The clock.</param>
    /// <param name="actor">Who acts, as recorded in history and audit: the OS user, <c>scanner</c> or <c>scheduler</c>.</param>
    /// <param name="afterStep">Called right after each step is persisted (tests use it to crash the process there).</param>
    public RotationService(
        KeywardenVault vault, IKeyVerifier verifier, IKeySinkFactory sinks, TimeProvider time, string actor, Action<RotationState>? afterStep = null)
        : this(vault, verifier, sinks, time, new AdminActor(actor, null), afterStep)
    {
    }

    /// <summary>The service acting for <paramref name="actor"/>: its name goes in history and audit, and its client address in every audit record.</summary>
    /// <param name="vault">The opened vault (store and master key).</param>
    /// <param name="verifier">Asks the provider about keys.</param>
    /// <param name="sinks">Builds the sinks configured for an upstream.</param>
    /// <param name="time">The clock.</param>
    /// <param name="actor">Who acts (an operator of the admin API, with the address the request came from).</param>
    /// <param name="afterStep">Called right after each step is persisted.</param>
    public RotationService(
        KeywardenVault vault, IKeyVerifier verifier, IKeySinkFactory sinks, TimeProvider time, AdminActor actor, Action<RotationState>? afterStep = null)
    {
        ArgumentNullException.ThrowIfNull(vault);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor.Name, nameof(actor));
        _vault = vault;
        _store = vault.Store;
        _verifier = verifier;
        _sinks = sinks;
        _time = time;
        _actor = actor;
        _afterStep = afterStep;
    }

    /// <summary>
    /// Opens a rotation and returns the steps a person must take. When one is open and waiting for
    /// its new key, returns its steps again; an open rotation elsewhere is resumed and reported.
    /// </summary>
    public async Task<RotationStarted> StartAsync(string upstreamName, RotationReason reason, string? note, CancellationToken cancellationToken = default)
    {
        var upstream = await RequireUpstreamAsync(upstreamName, cancellationToken);
        var keys = await _store.ListKeysAsync(upstream.Id, cancellationToken);
        var rotation = await _store.FindOpenRotationAsync(upstream.Id, cancellationToken);
        var alreadyOpen = rotation is not null;
        if (rotation is null)
        {
            var current = keys.FirstOrDefault(k => k.Slot == KeySlot.Current)
                ?? throw new RotationException(RotationErrorCode.NoCurrentKey, upstream);
            var now = _time.GetUtcNow();
            note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
            rotation = new RotationRecord(RecordId.New("rot"), upstream.Id, RotationState.Requested, reason, note, current.Id, null, now, now);
            var why = RotationMachine.Describe(reason) + (note is null ? "" : ": " + note);
            await _store.StartRotationAsync(rotation, RotationMachine.Open(_actor.Name, why, now), Audit(upstream, rotation, null, RotationState.Requested, why, now), cancellationToken);
            _afterStep?.Invoke(RotationState.Requested);
        }

        rotation = await DriveAsync(upstream, rotation, cancellationToken);
        if (rotation.State != RotationState.AwaitingNewKey)
        {
            throw new RotationException(
                RotationErrorCode.RotationInProgress, upstream, state: rotation.State, oldKey: keys.FirstOrDefault(k => k.Id == rotation.OldKeyId));
        }

        var oldKey = keys.FirstOrDefault(k => k.Id == rotation.OldKeyId);
        return new RotationStarted(
            upstream,
            rotation,
            RotationGuide.Steps(upstream, rotation, oldKey),
            RotationGuide.KeysPage(upstream),
            RotationGuide.SuggestedKeyName(upstream, rotation.CreatedAt),
            alreadyOpen);
    }

    /// <summary>
    /// Takes the new key: checks it is a key of the upstream's kind and not the one being replaced,
    /// stores it as pending, verifies it (works, same account), promotes it and delivers it to every
    /// sink. Submitting the same key again after an interruption resumes instead of failing.
    /// </summary>
    /// <exception cref="RotationException">The key is refused, the upstream cannot be reached (the key stays staged, retry with resume), or a sink failed (the rotation stays promoted).</exception>
    public async Task<RotationRecord> SubmitAsync(string upstreamName, string keyText, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keyText);
        var upstream = await RequireUpstreamAsync(upstreamName, cancellationToken);
        var rotation = await RequireOpenAsync(upstream, cancellationToken);
        UpstreamKey key;
        try
        {
            key = UpstreamKey.Parse(upstream.Kind, keyText);
        }
        catch (FormatException e)
        {
            throw new RotationException(RotationErrorCode.KeyMalformed, upstream, $"not a {Describe(upstream.Kind)} key: {e.Message}", innerException: e);
        }

        var keys = await _store.ListKeysAsync(upstream.Id, cancellationToken);
        if (rotation.State != RotationState.AwaitingNewKey)
        {
            if (keys.FirstOrDefault(k => k.Id == rotation.NewKeyId) is { } staged && staged.Fingerprint == key.Fingerprint)
            {
                // The same key again, after an interruption: carry on from where the rotation stopped.
                return await DriveAsync(upstream, rotation, cancellationToken);
            }

            rotation = await DriveAsync(upstream, rotation, cancellationToken);
            if (rotation.State != RotationState.AwaitingNewKey)
            {
                throw new RotationException(
                    RotationErrorCode.NewKeyAlreadySubmitted, upstream, state: rotation.State, oldKey: keys.FirstOrDefault(k => k.Id == rotation.OldKeyId));
            }
        }

        if (keys.Any(k => k.Fingerprint == key.Fingerprint))
        {
            throw new RotationException(RotationErrorCode.KeyBeingReplaced, upstream);
        }

        var now = _time.GetUtcNow();
        var keyId = RecordId.New("key");
        var pending = new UpstreamKeyRecord(
            keyId,
            upstream.Id,
            KeySlot.Pending,
            key.Prefix,
            RotationGuide.SuggestedKeyName(upstream, rotation.CreatedAt),
            key.Fingerprint,
            EnvelopeCipher.Seal(_vault.MasterKey, keyId, key.Value),
            now,
            null);
        rotation = await StepAsync(
            upstream,
            rotation,
            RotationState.Verifying,
            $"new key {key.Prefix}… submitted",
            keyId,
            (id, step, audit) => _store.StagePendingKeyAsync(id, pending, step, audit, cancellationToken));
        return await DriveAsync(upstream, rotation with { NewKeyId = keyId }, cancellationToken);
    }

    /// <summary>Drives an interrupted rotation forward as far as it can go without a person.</summary>
    public async Task<RotationRecord> ResumeAsync(string upstreamName, CancellationToken cancellationToken = default)
    {
        var upstream = await RequireUpstreamAsync(upstreamName, cancellationToken);
        return await DriveAsync(upstream, await RequireOpenAsync(upstream, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Checks, without trusting anyone's word, that the replaced key is revoked: the upstream must
    /// refuse it (401 / <c>Invalid_Key</c>). Then deletes its ciphertext and closes the rotation.
    /// Otherwise the rotation stays awaiting revocation. With <paramref name="wait"/>, asks again every
    /// <paramref name="pollInterval"/> until refused or the wait is over.
    /// </summary>
    public async Task<RevocationCheck> ConfirmAsync(string upstreamName, TimeSpan wait, TimeSpan pollInterval, CancellationToken cancellationToken = default)
    {
        var upstream = await RequireUpstreamAsync(upstreamName, cancellationToken);
        var rotation = await _store.FindOpenRotationAsync(upstream.Id, cancellationToken);
        if (rotation is null)
        {
            var latest = Latest(await _store.ListRotationsAsync(upstream.Id, cancellationToken));
            return latest is { State: RotationState.Revoked }
                ? new RevocationCheck(latest, KeyVerificationStatus.Invalid, "already confirmed")
                : throw new RotationException(RotationErrorCode.NoRotationInProgress, upstream);
        }

        rotation = await DriveAsync(upstream, rotation, cancellationToken);
        if (rotation.State != RotationState.AwaitingRevocation)
        {
            throw new RotationException(RotationErrorCode.NotAwaitingRevocation, upstream, state: rotation.State);
        }

        var oldRecord = (await _store.ListKeysAsync(upstream.Id, cancellationToken)).FirstOrDefault(k => k.Id == rotation.OldKeyId)
            ?? throw new RotationException(RotationErrorCode.ReplacedKeyMissing, upstream);
        var oldKey = _vault.Upstreams.Open(oldRecord, upstream.Kind);
        var deadline = _time.GetUtcNow() + wait;
        while (true)
        {
            var verification = await _verifier.VerifyAsync(oldKey, upstream.BaseUrl, cancellationToken);
            if (verification.Status == KeyVerificationStatus.Invalid)
            {
                rotation = await StepAsync(
                    upstream,
                    rotation,
                    RotationState.Revoked,
                    $"old key {oldRecord.Prefix}… refused by the upstream ({verification.Detail}); its ciphertext deleted",
                    oldRecord.Id,
                    (id, step, audit) => _store.DropPreviousKeyAsync(id, step, audit, cancellationToken));
                return new RevocationCheck(rotation, verification.Status, verification.Detail);
            }

            if (_time.GetUtcNow() + pollInterval > deadline)
            {
                return new RevocationCheck(rotation, verification.Status, verification.Detail);
            }

            await Task.Delay(pollInterval, _time, cancellationToken);
        }
    }

    /// <summary>Abandons a rotation before its new key is live, deleting the pending key if any.</summary>
    /// <exception cref="RotationException">No rotation is open, or the new key is already live (the message says what to do instead).</exception>
    public async Task<RotationRecord> AbortAsync(string upstreamName, CancellationToken cancellationToken = default)
    {
        var upstream = await RequireUpstreamAsync(upstreamName, cancellationToken);
        var rotation = await RequireOpenAsync(upstream, cancellationToken);
        if (rotation.State == RotationState.Promoted)
        {
            throw new RotationException(RotationErrorCode.AbortAfterPromotion, upstream, rotation.Problem, rotation.State);
        }

        if (!RotationMachine.CanAbort(rotation.State))
        {
            throw new RotationException(RotationErrorCode.AbortAwaitingRevocation, upstream, state: rotation.State);
        }

        return await StepAsync(
            upstream,
            rotation,
            RotationState.Aborted,
            "aborted by request" + (rotation.NewKeyId is null ? "" : "; pending key deleted"),
            rotation.NewKeyId,
            (id, step, audit) => rotation.NewKeyId is null
                ? _store.AdvanceRotationAsync(id, step, audit, cancellationToken)
                : _store.DropPendingKeyAsync(id, step, audit, cancellationToken));
    }

    /// <summary>Key age and rotation of one upstream, or of every upstream when <paramref name="upstreamName"/> is null.</summary>
    public async Task<IReadOnlyList<RotationStatus>> StatusAsync(string? upstreamName, CancellationToken cancellationToken = default)
    {
        var upstreams = upstreamName is null
            ? await _store.ListUpstreamsAsync(cancellationToken)
            : [await RequireUpstreamAsync(upstreamName, cancellationToken)];
        var now = _time.GetUtcNow();
        var statuses = new List<RotationStatus>();
        foreach (var upstream in upstreams)
        {
            var keys = await _store.ListKeysAsync(upstream.Id, cancellationToken);
            var current = keys.FirstOrDefault(k => k.Slot == KeySlot.Current);
            var age = current is null ? null : KeyAge.Of(upstream, current, now);
            var rotation = await _store.FindOpenRotationAsync(upstream.Id, cancellationToken)
                ?? Latest(await _store.ListRotationsAsync(upstream.Id, cancellationToken));
            var history = rotation is null ? [] : await _store.ListRotationHistoryAsync(rotation.Id, cancellationToken);
            var next = rotation is not null && !RotationMachine.IsTerminal(rotation.State)
                ? rotation.State == RotationState.Promoted && rotation.Problem is not null
                    ? RotationGuide.SinkFailedAdvice(upstream)
                    : RotationGuide.NextStep(upstream, rotation.State, keys.FirstOrDefault(k => k.Id == rotation.OldKeyId))
                : age?.Status is KeyAgeStatus.Overdue or KeyAgeStatus.DueSoon
                    ? $"rotate: keywarden rotate start {upstream.Name} --reason scheduled"
                    : "";
            statuses.Add(new RotationStatus(upstream, current, age, rotation, history, next));
        }

        return statuses;
    }

    /// <summary>Adds a sink to an upstream after checking that <paramref name="spec"/> makes a sink that could take a key now.</summary>
    /// <exception cref="SinkException">The spec is not valid, its kind is not available, or its target could not take a key (the message says why).</exception>
    public async Task<SinkRecord> AddSinkAsync(string upstreamName, string spec, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        var upstream = await RequireUpstreamAsync(upstreamName, cancellationToken);
        var created = _sinks.Create(spec);
        created.Check(); // a target that cannot take a key is found now, not in the middle of a rotation
        var description = created.Description;
        var now = _time.GetUtcNow();
        var sink = new SinkRecord(RecordId.New("sink"), upstream.Id, spec, now);
        await _store.AddSinkAsync(
            sink, AdminEntry(now, "sink.add", upstream.Name, $"{sink.Id}: {description}") with { UpstreamId = upstream.Id }, cancellationToken);
        return sink;
    }

    /// <summary>The sinks of one upstream, or of all, with the name of their upstream.</summary>
    public async Task<IReadOnlyList<(SinkRecord Sink, string Upstream)>> ListSinksAsync(string? upstreamName, CancellationToken cancellationToken = default)
    {
        var upstreams = (await _store.ListUpstreamsAsync(cancellationToken)).ToDictionary(u => u.Id, u => u.Name, StringComparer.Ordinal);
        var upstreamId = upstreamName is null ? null : (await RequireUpstreamAsync(upstreamName, cancellationToken)).Id;
        return (await _store.ListSinksAsync(upstreamId, cancellationToken))
            .Where(sink => upstreams.ContainsKey(sink.UpstreamId))
            .Select(sink => (sink, upstreams[sink.UpstreamId]))
            .ToList();
    }

    /// <summary>Removes a sink; false when none has that id.</summary>
    public Task<bool> RemoveSinkAsync(string id, CancellationToken cancellationToken = default) =>
        _store.RemoveSinkAsync(id, AdminEntry(_time.GetUtcNow(), "sink.remove", id), cancellationToken);

    /// <summary>Sets how old an upstream's key may get before rotation is due.</summary>
    public async Task SetMaxKeyAgeAsync(string upstreamName, TimeSpan maxKeyAge, CancellationToken cancellationToken = default)
    {
        if (maxKeyAge <= TimeSpan.Zero)
        {
            throw new RotationException(RotationErrorCode.MaxKeyAgeNotPositive);
        }

        var upstream = await RequireUpstreamAsync(upstreamName, cancellationToken);
        await _store.SetMaxKeyAgeAsync(
            upstream.Id,
            maxKeyAge,
            AdminEntry(_time.GetUtcNow(), "upstream.max-age", upstream.Name, $"{maxKeyAge.TotalDays:0.##} days") with { UpstreamId = upstream.Id },
            cancellationToken);
    }

    /// <summary>The upstreams whose current key is due soon or overdue, for <c>serve</c> to report at start-up.</summary>
    public static async Task<IReadOnlyList<(UpstreamRecord Upstream, KeyAge Age)>> DueKeysAsync(IKeywardenStore store, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var due = new List<(UpstreamRecord, KeyAge)>();
        foreach (var upstream in await store.ListUpstreamsAsync(cancellationToken))
        {
            if ((await store.ListKeysAsync(upstream.Id, cancellationToken)).FirstOrDefault(k => k.Slot == KeySlot.Current) is { } current
                && KeyAge.Of(upstream, current, now) is { Status: not KeyAgeStatus.Ok } age)
            {
                due.Add((upstream, age));
            }
        }

        return due;
    }

    /// <summary>Logs every upstream whose key is due soon or overdue (<c>serve</c> does at start-up); returns how many.</summary>
    public static async Task<int> LogDueKeysAsync(IKeywardenStore store, DateTimeOffset now, ILogger logger, CancellationToken cancellationToken = default)
    {
        var due = await DueKeysAsync(store, now, cancellationToken);
        foreach (var (upstream, age) in due)
        {
            var description = age.Describe();
            if (age.Status == KeyAgeStatus.Overdue)
            {
                Log.KeyOverdue(logger, upstream.Name, description);
            }
            else
            {
                Log.KeyDueSoon(logger, upstream.Name, description);
            }
        }

        return due.Count;
    }

    /// <summary>Takes every step that needs no person: opening, verification, promotion, sinks.</summary>
    private async Task<RotationRecord> DriveAsync(UpstreamRecord upstream, RotationRecord rotation, CancellationToken cancellationToken)
    {
        while (true)
        {
            switch (rotation.State)
            {
                case RotationState.Requested:
                    rotation = await StepAsync(upstream, rotation, RotationState.AwaitingNewKey, "steps shown; waiting for a new key", null, Advance);
                    break;
                case RotationState.Verifying:
                    rotation = await VerifyPendingAsync(upstream, rotation, cancellationToken);
                    break;
                case RotationState.Staged:
                    rotation = await StepAsync(
                        upstream,
                        rotation,
                        RotationState.Promoted,
                        "pending key is now current, the replaced key previous",
                        rotation.NewKeyId,
                        (id, step, audit) => _store.PromoteAsync(id, step, audit, cancellationToken));
                    break;
                case RotationState.Promoted:
                    rotation = await DeliverToSinksAsync(upstream, rotation, cancellationToken);
                    break;
                default:
                    return rotation;
            }
        }

        Task Advance(string id, RotationTransition step, AuditEntry audit) => _store.AdvanceRotationAsync(id, step, audit, cancellationToken);
    }

    private async Task<RotationRecord> VerifyPendingAsync(UpstreamRecord upstream, RotationRecord rotation, CancellationToken cancellationToken)
    {
        var pendingRecord = (await _store.ListKeysAsync(upstream.Id, cancellationToken)).FirstOrDefault(k => k.Id == rotation.NewKeyId && k.Slot == KeySlot.Pending)
            ?? throw new RotationException(RotationErrorCode.PendingKeyMissing, upstream, state: rotation.State);
        var pending = _vault.Upstreams.Open(pendingRecord, upstream.Kind);
        var verification = await _verifier.VerifyAsync(pending, upstream.BaseUrl, cancellationToken);
        (RotationErrorCode Code, string? Detail, string Why)? refusal = verification.Status switch
        {
            KeyVerificationStatus.Unreachable => throw new RotationException(RotationErrorCode.NewKeyNotVerified, upstream, verification.Detail, rotation.State),
            KeyVerificationStatus.Invalid =>
                (RotationErrorCode.NewKeyRefused, verification.Detail, $"the upstream refused the new key ({verification.Detail})"),
            _ when upstream.AccountId is not null && verification.AccountId != upstream.AccountId =>
                (RotationErrorCode.NewKeyWrongAccount, verification.AccountId, $"the new key belongs to account {verification.AccountId}, not {upstream.AccountId}"),
            _ => null,
        };
        if (refusal is { } refused)
        {
            await StepAsync(
                upstream,
                rotation,
                RotationState.AwaitingNewKey,
                refused.Why + "; pending key deleted",
                pendingRecord.Id,
                (id, step, audit) => _store.DropPendingKeyAsync(id, step, audit, cancellationToken));
            throw new RotationException(refused.Code, upstream, refused.Detail);
        }

        await _store.MarkVerifiedAsync(pendingRecord.Id, verification.AccountId, _time.GetUtcNow(), cancellationToken);
        return await StepAsync(
            upstream,
            rotation,
            RotationState.Staged,
            $"new key works, differs from the old one, account {verification.AccountId ?? "(not reported)"}",
            pendingRecord.Id,
            (id, step, audit) => _store.AdvanceRotationAsync(id, step, audit, cancellationToken));
    }

    private async Task<RotationRecord> DeliverToSinksAsync(UpstreamRecord upstream, RotationRecord rotation, CancellationToken cancellationToken)
    {
        var sinks = await _store.ListSinksAsync(upstream.Id, cancellationToken);
        if (sinks.Count > 0)
        {
            var currentRecord = (await _store.ListKeysAsync(upstream.Id, cancellationToken)).First(k => k.Id == rotation.NewKeyId);
            var key = _vault.Upstreams.Open(currentRecord, upstream.Kind);
            foreach (var sink in sinks)
            {
                try
                {
                    await _sinks.Create(sink.Spec).DeliverAsync(key, cancellationToken);
                }
                catch (SinkException e)
                {
                    // On record (status names it) and in the audit log, before anyone is told.
                    var problem = $"sink {sink.Id} ({sink.Spec}) did not take the new key: {e.Message}";
                    var now = _time.GetUtcNow();
                    await _store.SetRotationProblemAsync(
                        rotation.Id,
                        problem,
                        AdminEntry(now, "rotation.sink-failed", upstream.Name, $"{rotation.Id}: {problem}")
                            with { UpstreamId = upstream.Id, KeyId = rotation.NewKeyId, Decision = AuditDecision.Error, Rule = "sink" },
                        cancellationToken);
                    throw new RotationException(RotationErrorCode.SinkFailed, upstream, problem, rotation.State, innerException: e);
                }
            }
        }

        return await StepAsync(
            upstream,
            rotation,
            RotationState.AwaitingRevocation,
            sinks.Count == 0 ? "no sinks configured" : $"{sinks.Count} sink(s) took the new key",
            rotation.NewKeyId,
            (id, step, audit) => _store.AdvanceRotationAsync(id, step, audit, cancellationToken));
    }

    /// <summary>Persists one step (with its audit record) through <paramref name="write"/>, then calls the after-step hook.</summary>
    private async Task<RotationRecord> StepAsync(
        UpstreamRecord upstream, RotationRecord rotation, RotationState to, string why, string? keyId, Func<string, RotationTransition, AuditEntry, Task> write)
    {
        var now = _time.GetUtcNow();
        var step = RotationMachine.Step(rotation.State, to, _actor.Name, why, now);
        await write(rotation.Id, step, Audit(upstream, rotation, keyId, to, why, now));
        _afterStep?.Invoke(to);
        return rotation with { State = to, UpdatedAt = now };
    }

    private AuditEntry Audit(UpstreamRecord upstream, RotationRecord rotation, string? keyId, RotationState to, string why, DateTimeOffset now) =>
        AdminEntry(now, "rotation." + RotationMachine.Describe(to), upstream.Name, $"{rotation.Id}: {why}")
            with { UpstreamId = upstream.Id, KeyId = keyId };

    /// <summary>An administrative action by the actor, with the client address it came from (null for the local CLI).</summary>
    private AuditEntry AdminEntry(DateTimeOffset time, string action, string target, string? detail = null) =>
        AuditEntry.ForAdmin(time, _actor.Name, action, target, detail) with { ClientAddress = _actor.ClientAddress };

    private async Task<UpstreamRecord> RequireUpstreamAsync(string name, CancellationToken cancellationToken) =>
        await _store.FindUpstreamAsync(name, cancellationToken)
            ?? throw new RotationException(RotationErrorCode.UpstreamNotFound, name);

    private async Task<RotationRecord> RequireOpenAsync(UpstreamRecord upstream, CancellationToken cancellationToken) =>
        await _store.FindOpenRotationAsync(upstream.Id, cancellationToken)
            ?? throw new RotationException(RotationErrorCode.NoRotationInProgress, upstream);

    private static RotationRecord? Latest(IReadOnlyList<RotationRecord> newestFirst) => newestFirst.Count > 0 ? newestFirst[0] : null;

    private static string Describe(UpstreamKind kind) => MailchimpApis.Catalog.Get(kind).DisplayName;
}
