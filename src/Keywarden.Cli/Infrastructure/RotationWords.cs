using Keywarden.Core.Rotation;
using Keywarden.Rotation;

namespace Keywarden.Cli.Infrastructure;

/// <summary>A refusal of a rotation step in the CLI's words: the command that takes the rotation on (<see cref="RotationGuide"/>'s next steps).</summary>
internal static class RotationWords
{
    /// <summary>The one-line message for <paramref name="e"/>: the neutral message but where a command helps.</summary>
    public static string Say(RotationException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var name = e.Value;
        return (e.Code, e.Upstream, e.State) switch
        {
            (RotationErrorCode.UpstreamNotFound, _, _) => $"no upstream named '{name}' (see 'keywarden upstream list')",
            (RotationErrorCode.RotationInProgress, { } upstream, { } state) =>
                $"upstream '{name}' already has a rotation in progress ({RotationMachine.Describe(state)}): {RotationGuide.NextStep(upstream, state, e.OldKey)}",
            (RotationErrorCode.NewKeyAlreadySubmitted, { } upstream, { } state) =>
                $"the rotation of '{name}' already has its new key ({RotationMachine.Describe(state)}): {RotationGuide.NextStep(upstream, state, e.OldKey)}",
            (RotationErrorCode.NoRotationInProgress, _, _) => $"upstream '{name}' has no rotation in progress: keywarden rotate start {name}",
            (RotationErrorCode.NotAwaitingRevocation, { } upstream, { } state) =>
                $"the rotation of '{name}' is {RotationMachine.Describe(state)}, not yet waiting for revocation: {RotationGuide.NextStep(upstream, state, e.OldKey)}",
            (RotationErrorCode.AbortAfterPromotion, { } upstream, _) =>
                $"the rotation of '{name}' cannot be aborted: the new key is already live in the gateway"
                + (e.Detail is null ? ", and its sinks have not all taken it yet. " : $"; {e.Detail}. ")
                + RotationGuide.SinkFailedAdvice(upstream),
            (RotationErrorCode.AbortAwaitingRevocation, { } upstream, _) =>
                $"the rotation of '{name}' cannot be aborted: the new key is already live in the gateway (and sinks), "
                + "and only the old key's revocation is left. Putting the old key back would undo the rotation, not abort it. "
                + $"Finish: revoke the old key at {RotationGuide.KeysPage(upstream)}, then keywarden rotate confirm {name}; "
                + "if the new key is the problem, finish and start another rotation.",
            (RotationErrorCode.NewKeyNotVerified, _, _) =>
                $"could not verify the new key: {e.Detail}. Nothing changed: it stays staged; retry with keywarden rotate resume {name}",
            (RotationErrorCode.SinkFailed, { } upstream, _) => $"{e.Detail}. {RotationGuide.SinkFailedAdvice(upstream)}",
            _ => e.Message,
        };
    }

    /// <summary>A failure's message, worded for the CLI when a rotation step or the vault refused.</summary>
    public static string MessageOf(Exception e) => e is RotationException rotation ? Say(rotation) : VaultWords.MessageOf(e);
}
