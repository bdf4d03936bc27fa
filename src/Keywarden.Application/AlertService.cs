using System.Globalization;
using Keywarden.Core.Monitoring;
using Keywarden.Core.Tokens;
using Keywarden.Storage;

namespace Keywarden.Application;

/// <summary>
/// What a person does with anomaly alerts: list them, look at one, acknowledge it (seen, being looked at) and resolve
/// it. Raising alerts is the monitor's, through <see cref="IAlertStore.RaiseAsync"/>. Needs the store, not the master key.
/// </summary>
public sealed class AlertService
{
    /// <summary>The longest note a person may leave on an alert.</summary>
    public const int MaxNoteLength = 1000;

    private readonly IAlertStore _store;
    private readonly TimeProvider _time;
    private readonly string _actor;

    public AlertService(IAlertStore store, TimeProvider time)
        : this(store, time, AdminAudit.DefaultActor)
    {
    }

    /// <param name="store">The store.</param>
    /// <param name="time">The clock.</param>
    /// <param name="actor">Who acts, as recorded in the audit log (the OS user, or <c>admin-api</c>).</param>
    public AlertService(IAlertStore store, TimeProvider time, string actor)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        _store = store;
        _time = time;
        _actor = actor;
    }

    /// <summary>A new alert id (<c>al_…</c>), for an <see cref="AlertRaise"/>.</summary>
    public static string NewId() => RecordId.New("al");

    /// <summary>The alerts <paramref name="query"/> selects, last seen first.</summary>
    /// <exception cref="VaultException">The limit is out of range, or the token filter is not a token id.</exception>
    public Task<IReadOnlyList<AlertRecord>> ListAsync(AlertQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit is < 1 or > AlertQuery.MaxLimit)
        {
            throw new VaultException(VaultErrorCode.AlertLimitInvalid, AlertQuery.MaxLimit.ToString(CultureInfo.InvariantCulture));
        }

        if (query.TokenId is { } tokenId && !AccessorId.IsValid(tokenId))
        {
            throw new VaultException(VaultErrorCode.NotATokenId);
        }

        return _store.ListAlertsAsync(query, cancellationToken);
    }

    /// <summary>The alert <paramref name="id"/>.</summary>
    /// <exception cref="VaultException">No such alert.</exception>
    public async Task<AlertRecord> ShowAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return await _store.FindAlertAsync(id, cancellationToken) ?? throw new VaultException(VaultErrorCode.AlertNotFound, id);
    }

    /// <summary>Acknowledges an open alert: a person has seen it. Repeats of its anomaly still count into it.</summary>
    /// <exception cref="VaultException">No such alert, it is already acknowledged or resolved, or the note is too long.</exception>
    public Task<AlertRecord> AcknowledgeAsync(string id, string? note = null, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, note, (at, text, ct) => _store.AcknowledgeAsync(id, _actor, at, text, ct), cancellationToken);

    /// <summary>Resolves an open or acknowledged alert. A repeat of its anomaly opens a new alert.</summary>
    /// <exception cref="VaultException">No such alert, it is already resolved, or the note is too long.</exception>
    public Task<AlertRecord> ResolveAsync(string id, string? note = null, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, note, (at, text, ct) => _store.ResolveAsync(id, _actor, at, text, ct), cancellationToken);

    private async Task<AlertRecord> ChangeAsync(
        string id, string? note, Func<DateTimeOffset, string?, CancellationToken, Task<AlertRecord>> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        var text = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (text?.Length > MaxNoteLength)
        {
            throw new VaultException(VaultErrorCode.AlertNoteTooLong, MaxNoteLength.ToString(CultureInfo.InvariantCulture));
        }

        try
        {
            return await change(_time.GetUtcNow(), text, cancellationToken);
        }
        catch (StorageException e) when (e.Error is StorageError.NotFound)
        {
            throw new VaultException(VaultErrorCode.AlertNotFound, id, innerException: e);
        }
        catch (StorageException e) when (e.Error is StorageError.Conflict)
        {
            // States only move forward, so the state read now is the one that refused the change.
            var state = (await _store.FindAlertAsync(id, cancellationToken))?.State;
            var code = state == AlertState.Acknowledged ? VaultErrorCode.AlertAlreadyAcknowledged : VaultErrorCode.AlertAlreadyResolved;
            throw new VaultException(code, id, innerException: e);
        }
    }
}
