using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Keywarden.Core.Rotation;

namespace Keywarden.Core.Tests.Rotation;

public sealed class RotationMachinePropertyTests
{
    private static readonly DateTimeOffset At = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // The happy path's order; a step may only move forward in it, except a refused key going back to AwaitingNewKey.
    private static readonly RotationState[] Order =
    [
        RotationState.Requested, RotationState.AwaitingNewKey, RotationState.Verifying, RotationState.Staged,
        RotationState.Promoted, RotationState.AwaitingRevocation, RotationState.Revoked,
    ];

    private static readonly Gen<RotationState[]> Attempts = Gen.ArrayOf(Gen.Elements(Enum.GetValues<RotationState>()));

    /// <summary>Tries every attempted step in turn from Requested; returns the states actually entered.</summary>
    private static List<RotationState> Walk(RotationState[] attempts)
    {
        var path = new List<RotationState> { RotationMachine.Initial };
        foreach (var to in attempts)
        {
            try
            {
                var step = RotationMachine.Step(path[^1], to, "prop", "test", At);
                path.Add(step.To);
            }
            catch (InvalidOperationException)
            {
                // refused: the rotation stays where it is
            }
        }

        return path;
    }

    [Property(MaxTest = 2000)]
    public Property AnyWalk_NeverPromotesWithoutVerifyingAndStagingJustBefore() =>
        Prop.ForAll(Arb.From(Attempts), attempts =>
        {
            var path = Walk(attempts);
            return Enumerable.Range(1, path.Count - 1).All(i =>
                path[i] != RotationState.Promoted || (path[i - 1] == RotationState.Staged && path[i - 2] == RotationState.Verifying));
        });

    [Property(MaxTest = 2000)]
    public Property AnyWalk_OnlyMovesForward_ExceptARefusedKey() =>
        Prop.ForAll(Arb.From(Attempts), attempts =>
        {
            var path = Walk(attempts);
            return Enumerable.Range(1, path.Count - 1).All(i =>
                path[i] == RotationState.Aborted
                || (path[i - 1] == RotationState.Verifying && path[i] == RotationState.AwaitingNewKey)
                || Array.IndexOf(Order, path[i]) == Array.IndexOf(Order, path[i - 1]) + 1);
        });

    [Property(MaxTest = 2000)]
    public Property AnyWalk_NeverAbortsOnceTheNewKeyIsLive() =>
        Prop.ForAll(Arb.From(Attempts), attempts =>
        {
            var path = Walk(attempts);
            var promoted = path.IndexOf(RotationState.Promoted);
            return promoted < 0 || !path.Skip(promoted).Contains(RotationState.Aborted);
        });

    [Property(MaxTest = 2000)]
    public Property AnyWalk_TerminalStatesStayTerminal() =>
        Prop.ForAll(Arb.From(Attempts), attempts =>
        {
            var path = Walk(attempts);
            var terminal = path.FindIndex(RotationMachine.IsTerminal);
            return terminal < 0 || terminal == path.Count - 1;
        });

    [Property(MaxTest = 500)]
    public Property Terminal_RefusesEveryStep() =>
        Prop.ForAll(
            Arb.From(Gen.Elements(RotationState.Revoked, RotationState.Aborted)),
            Arb.From(Gen.Elements(Enum.GetValues<RotationState>())),
            (from, to) =>
            {
                try
                {
                    RotationMachine.Step(from, to, "prop", "test", At);
                    return false;
                }
                catch (InvalidOperationException)
                {
                    return true;
                }
            });
}
