namespace Keywarden.Core.Rotation;

/// <summary>
/// The legal steps of a rotation (pure, no I/O):
/// <c>Requested → AwaitingNewKey → Verifying → Staged → Promoted → AwaitingRevocation → Revoked</c>;
/// a refused key sends <c>Verifying</c> back to <c>AwaitingNewKey</c>; any state before
/// <c>Promoted</c> may go to <c>Aborted</c>. <c>Revoked</c> and <c>Aborted</c> are terminal.
/// </summary>
public static class RotationMachine
{
    /// <summary>The state every rotation starts in.</summary>
    public const RotationState Initial = RotationState.Requested;

    /// <summary>The states a rotation may move to from <paramref name="from"/>.</summary>
    public static IReadOnlyList<RotationState> Successors(RotationState from) => from switch
    {
        RotationState.Requested => [RotationState.AwaitingNewKey, RotationState.Aborted],
        RotationState.AwaitingNewKey => [RotationState.Verifying, RotationState.Aborted],
        RotationState.Verifying => [RotationState.Staged, RotationState.AwaitingNewKey, RotationState.Aborted],
        RotationState.Staged => [RotationState.Promoted, RotationState.Aborted],
        RotationState.Promoted => [RotationState.AwaitingRevocation],
        RotationState.AwaitingRevocation => [RotationState.Revoked],
        RotationState.Revoked or RotationState.Aborted => [],
        _ => throw new ArgumentOutOfRangeException(nameof(from), from, "unknown rotation state"),
    };

    /// <summary>True when a rotation in <paramref name="from"/> may move to <paramref name="to"/>.</summary>
    public static bool IsLegal(RotationState from, RotationState to) => Successors(from).Contains(to);

    /// <summary>True for <see cref="RotationState.Revoked"/> and <see cref="RotationState.Aborted"/>: nothing follows.</summary>
    public static bool IsTerminal(RotationState state) => Successors(state).Count == 0;

    /// <summary>True while the rotation may still be abandoned: the new key is not live yet.</summary>
    public static bool CanAbort(RotationState state) => IsLegal(state, RotationState.Aborted);

    /// <summary>The step that opens a rotation.</summary>
    public static RotationTransition Open(string actor, string why, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(why);
        return new RotationTransition(null, Initial, actor, why, at);
    }

    /// <summary>The step from <paramref name="from"/> to <paramref name="to"/>.</summary>
    /// <exception cref="InvalidOperationException">The step is not legal.</exception>
    public static RotationTransition Step(RotationState from, RotationState to, string actor, string why, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(why);
        if (!IsLegal(from, to))
        {
            throw new InvalidOperationException(IsTerminal(from)
                ? $"the rotation is {Describe(from)} and cannot change any more"
                : $"a rotation cannot go from {Describe(from)} to {Describe(to)}");
        }

        return new RotationTransition(from, to, actor, why, at);
    }

    /// <summary>The word people and stored rows use for a state, e.g. <c>awaiting-revocation</c>.</summary>
    public static string Describe(RotationState state) => state switch
    {
        RotationState.Requested => "requested",
        RotationState.AwaitingNewKey => "awaiting-new-key",
        RotationState.Verifying => "verifying",
        RotationState.Staged => "staged",
        RotationState.Promoted => "promoted",
        RotationState.AwaitingRevocation => "awaiting-revocation",
        RotationState.Revoked => "revoked",
        RotationState.Aborted => "aborted",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "unknown rotation state"),
    };

    /// <summary>The state <paramref name="text"/> names (as <see cref="Describe(RotationState)"/> writes it), or null.</summary>
    public static RotationState? ParseState(string text) =>
        Enum.GetValues<RotationState>().Cast<RotationState?>().FirstOrDefault(state => Describe(state!.Value) == text);

    /// <summary>The word for a reason: <c>scheduled</c>, <c>leak</c> or <c>manual</c>.</summary>
    public static string Describe(RotationReason reason) => reason switch
    {
        RotationReason.Scheduled => "scheduled",
        RotationReason.Leak => "leak",
        RotationReason.Manual => "manual",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "unknown rotation reason"),
    };

    /// <summary>The reason <paramref name="text"/> names, or null.</summary>
    public static RotationReason? ParseReason(string text) =>
        Enum.GetValues<RotationReason>().Cast<RotationReason?>().FirstOrDefault(reason => Describe(reason!.Value) == text);
}
