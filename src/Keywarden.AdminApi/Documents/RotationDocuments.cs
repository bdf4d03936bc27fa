using Keywarden.Core.Providers;
using Keywarden.Core.Rotation;
using Keywarden.Rotation;
using Keywarden.Storage;

namespace Keywarden.AdminApi.Documents;

/// <summary>Key rotations as <c>rotate … --json</c> prints them and the admin API answers. Never a key: only its first characters and its name.</summary>
public static class RotationDocuments
{
    /// <summary>A rotation opened (or found open) and waiting for its new key, with the steps a person takes (<c>rotate start</c>).</summary>
    public static object Started(RotationStarted started)
    {
        ArgumentNullException.ThrowIfNull(started);
        return new
        {
            upstream = started.Upstream.Name,
            rotation = started.Rotation.Id,
            state = RotationMachine.Describe(started.Rotation.State),
            reason = RotationMachine.Describe(started.Rotation.Reason),
            already_open = started.AlreadyOpen,
            keys_page = started.KeysPage,
            suggested_key_name = started.SuggestedKeyName,
            steps = started.Steps,
        };
    }

    /// <summary>
    /// An upstream's key age and its open (or latest) rotation with its history (<c>rotate status</c>, and the answer of
    /// <c>rotate submit</c> and <c>rotate resume</c>); its kind as <paramref name="apis"/> names it.
    /// </summary>
    public static object Status(RotationStatus status, UpstreamApiCatalog apis)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(apis);
        return new
        {
            upstream = status.Upstream.Name,
            kind = apis.Get(status.Upstream.Kind).Name,
            key_prefix = status.CurrentKey?.Prefix,
            key_name = status.CurrentKey?.Label,
            key_created_at = status.CurrentKey?.CreatedAt,
            key_age_days = status.Age is null ? (double?)null : Math.Round(status.Age.Age.TotalDays, 2),
            max_key_age_days = status.Upstream.MaxKeyAge.TotalDays,
            key_age_status = status.Age?.Status switch
            {
                KeyAgeStatus.Overdue => "overdue",
                KeyAgeStatus.DueSoon => "due_soon",
                KeyAgeStatus.Ok => "ok",
                _ => null,
            },
            key_age_summary = status.Age?.Describe(),
            rotation = status.Rotation is not { } rotation ? null : new
            {
                id = rotation.Id,
                state = RotationMachine.Describe(rotation.State),
                open = !RotationMachine.IsTerminal(rotation.State),
                reason = RotationMachine.Describe(rotation.Reason),
                note = rotation.Note,
                problem = rotation.Problem,
                created_at = rotation.CreatedAt,
                updated_at = rotation.UpdatedAt,
                history = status.History.Select(t => new
                {
                    from = t.From is { } from ? RotationMachine.Describe(from) : null,
                    to = RotationMachine.Describe(t.To),
                    actor = t.Actor,
                    why = t.Why,
                    at = t.At,
                }),
            },
            next_step = status.NextStep,
        };
    }

    /// <summary>
    /// What the upstream said about the replaced key (<c>rotate confirm</c>): <c>old_key_status</c> invalid (revoked, the
    /// rotation complete), valid (still works; <paramref name="nextStep"/> says what to do) or unreachable.
    /// </summary>
    public static object Confirmed(string upstream, RevocationCheck check, string? nextStep)
    {
        ArgumentNullException.ThrowIfNull(check);
        return new
        {
            upstream,
            rotation = check.Rotation.Id,
            state = RotationMachine.Describe(check.Rotation.State),
            old_key_status = check.OldKey,
            detail = check.Detail,
            next_step = nextStep,
        };
    }

    /// <summary>A rotation abandoned before its new key went live (<c>rotate abort</c>).</summary>
    public static object Aborted(string upstream, RotationRecord rotation)
    {
        ArgumentNullException.ThrowIfNull(rotation);
        return new { upstream, rotation = rotation.Id, state = RotationMachine.Describe(rotation.State) };
    }
}
