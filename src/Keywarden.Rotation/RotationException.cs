using Keywarden.Core.Keys;
using Keywarden.Core.Rotation;
using Keywarden.Storage;

namespace Keywarden.Rotation;

/// <summary>
/// A rotation step that cannot be taken now: a typed <see cref="Code"/> with the upstream and facts it concerns, and a
/// message in plain words, without any front end's command names, for logs and API bodies. Front ends word the code
/// themselves (with <see cref="RotationGuide"/> for next steps). Never carries a secret.
/// </summary>
public sealed class RotationException : Exception
{
    /// <summary>What to do when a sink did not take the new key, in plain words (<see cref="RotationGuide.SinkFailedAdvice"/> names the CLI's command).</summary>
    private const string SinkFailedAdvice =
        "The gateway already uses the new key and the old one still works: do not revoke it yet. Fix the sink, then resume the rotation";

    /// <summary>A refusal about no stored upstream: an unknown name (<paramref name="value"/>), or a bad argument.</summary>
    public RotationException(RotationErrorCode code, string? value = null, string? detail = null, Exception? innerException = null)
        : base(Describe(code, value, detail), innerException)
    {
        Code = code;
        Value = value;
        Detail = detail;
    }

    /// <summary>A refusal about <paramref name="upstream"/>, with the rotation's <paramref name="state"/> and the key it replaces when the next step depends on them.</summary>
    public RotationException(
        RotationErrorCode code, UpstreamRecord upstream, string? detail = null, RotationState? state = null, UpstreamKeyRecord? oldKey = null, Exception? innerException = null)
        : base(Describe(code, upstream?.Name, detail, upstream, state), innerException)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        Code = code;
        Value = upstream.Name;
        Detail = detail;
        Upstream = upstream;
        State = state;
        OldKey = oldKey is null ? null : KeyDisplay.Describe(oldKey.Prefix, oldKey.Label);
    }

    /// <summary>Why the step was refused.</summary>
    public RotationErrorCode Code { get; }

    /// <summary>The name of the upstream the refusal is about, when there is one.</summary>
    public string? Value { get; }

    /// <summary>A second fact the words need: the sink's problem, the provider's answer, the other account, why a key is malformed.</summary>
    public string? Detail { get; }

    /// <summary>The upstream the refusal is about, when it is stored (its keys page and name make the next step).</summary>
    public UpstreamRecord? Upstream { get; }

    /// <summary>The state of the open rotation, when the next step depends on it.</summary>
    public RotationState? State { get; }

    /// <summary>
    /// The key being replaced as people name it (its prefix and label, <see cref="KeyDisplay.Describe"/>), when the next
    /// step names it. Never the key or its sealed copy: an exception's properties may be logged whole.
    /// </summary>
    public string? OldKey { get; }

    /// <summary>A refusal in plain words, naming no front end's commands or options.</summary>
    public static string Describe(
        RotationErrorCode code, string? value = null, string? detail = null, UpstreamRecord? upstream = null, RotationState? state = null) => code switch
    {
        RotationErrorCode.UpstreamNotFound => $"no upstream named '{value}'",
        RotationErrorCode.NoCurrentKey => $"upstream '{value}' has no current key to rotate",
        RotationErrorCode.RotationInProgress =>
            $"upstream '{value}' already has a rotation in progress{InState(state)}{NextStep(upstream, state)}",
        RotationErrorCode.KeyMalformed => detail ?? "not a key of the upstream's kind",
        RotationErrorCode.NewKeyAlreadySubmitted => $"the rotation of '{value}' already has its new key{InState(state)}{NextStep(upstream, state)}",
        RotationErrorCode.KeyBeingReplaced => $"this is the key being replaced, not a new one: create a new key{At(upstream)} and submit that",
        RotationErrorCode.NoRotationInProgress => $"upstream '{value}' has no rotation in progress",
        RotationErrorCode.NotAwaitingRevocation =>
            $"the rotation of '{value}' is {(state is { } s ? RotationMachine.Describe(s) : "open")}, not yet waiting for revocation{NextStep(upstream, state)}",
        RotationErrorCode.ReplacedKeyMissing => $"the replaced key of '{value}' is missing from the store",
        RotationErrorCode.AbortAfterPromotion =>
            $"the rotation of '{value}' cannot be aborted: the new key is already live in the gateway"
            + (detail is null ? ", and its sinks have not all taken it yet. " : $"; {detail}. ")
            + SinkFailedAdvice,
        RotationErrorCode.AbortAwaitingRevocation =>
            $"the rotation of '{value}' cannot be aborted: the new key is already live in the gateway (and sinks), "
            + "and only the old key's revocation is left. Putting the old key back would undo the rotation, not abort it. "
            + $"Finish: revoke the old key{At(upstream)}, then confirm its revocation; if the new key is the problem, finish and start another rotation.",
        RotationErrorCode.MaxKeyAgeNotPositive => "the maximum key age must be positive",
        RotationErrorCode.PendingKeyMissing => $"the rotation of '{value}' is verifying, but its pending key is missing from the store",
        RotationErrorCode.NewKeyNotVerified => $"could not verify the new key: {detail}. Nothing changed: it stays staged; retry by resuming the rotation",
        RotationErrorCode.NewKeyRefused => $"the upstream refused the new key ({detail}){NewKeyDropped(upstream)}",
        RotationErrorCode.NewKeyWrongAccount =>
            $"the new key belongs to account {detail}, not {upstream?.AccountId ?? "the upstream's"}{NewKeyDropped(upstream)}",
        RotationErrorCode.SinkFailed => $"{detail}. {SinkFailedAdvice}",
        _ => code.ToString(),
    };

    private static string InState(RotationState? state) => state is { } s ? $" ({RotationMachine.Describe(s)})" : "";

    private static string At(UpstreamRecord? upstream) => upstream is null ? "" : $" at {RotationGuide.KeysPage(upstream)}";

    private static string NewKeyDropped(UpstreamRecord? upstream) =>
        $": nothing changed, the current key stays in use. Create a key in the right account{At(upstream)} and submit it.";

    /// <summary>The next step of a rotation in <paramref name="state"/> in plain words (<see cref="RotationGuide.NextStep(UpstreamRecord, RotationState, string?)"/> names the CLI's commands).</summary>
    private static string NextStep(UpstreamRecord? upstream, RotationState? state) => state switch
    {
        RotationState.AwaitingNewKey => $": create a key{At(upstream)}, then submit it",
        RotationState.AwaitingRevocation => $": the old key still works until you revoke it{At(upstream)}; then confirm its revocation",
        RotationState.Requested or RotationState.Verifying or RotationState.Staged or RotationState.Promoted =>
            $": interrupted at {RotationMachine.Describe(state.Value)}: resume it",
        _ => "",
    };
}
