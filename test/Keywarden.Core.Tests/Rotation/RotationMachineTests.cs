using Keywarden.Core.Rotation;

namespace Keywarden.Core.Tests.Rotation;

public sealed class RotationMachineTests
{
    private static readonly DateTimeOffset At = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static TheoryData<RotationState, RotationState> LegalSteps => new()
    {
        { RotationState.Requested, RotationState.AwaitingNewKey },
        { RotationState.AwaitingNewKey, RotationState.Verifying },
        { RotationState.Verifying, RotationState.Staged },
        { RotationState.Verifying, RotationState.AwaitingNewKey },
        { RotationState.Staged, RotationState.Promoted },
        { RotationState.Promoted, RotationState.AwaitingRevocation },
        { RotationState.AwaitingRevocation, RotationState.Revoked },
        { RotationState.Requested, RotationState.Aborted },
        { RotationState.AwaitingNewKey, RotationState.Aborted },
        { RotationState.Verifying, RotationState.Aborted },
        { RotationState.Staged, RotationState.Aborted },
    };

    [Theory]
    [MemberData(nameof(LegalSteps))]
    public void Step_Legal_RecordsWhoWhyAndWhen(RotationState from, RotationState to)
    {
        var step = RotationMachine.Step(from, to, "alice", "because", At);

        Assert.Equal(new RotationTransition(from, to, "alice", "because", At), step);
    }

    [Fact]
    public void Step_EveryPairNotListed_IsRefused()
    {
        var legal = LegalSteps.Select(row => row.Data).ToHashSet();
        var states = Enum.GetValues<RotationState>();

        foreach (var from in states)
        {
            foreach (var to in states.Where(to => !legal.Contains((from, to))))
            {
                Assert.Throws<InvalidOperationException>(() => RotationMachine.Step(from, to, "alice", "why", At));
            }
        }

        Assert.Equal(11, legal.Count);
    }

    [Theory]
    [InlineData(RotationState.Promoted)]
    [InlineData(RotationState.AwaitingRevocation)]
    [InlineData(RotationState.Revoked)]
    public void CanAbort_OnceTheNewKeyIsLive_IsFalse(RotationState state) => Assert.False(RotationMachine.CanAbort(state));

    [Fact]
    public void Step_FromTerminal_SaysItCannotChange()
    {
        var error = Assert.Throws<InvalidOperationException>(() => RotationMachine.Step(RotationState.Revoked, RotationState.Aborted, "a", "b", At));

        Assert.Contains("revoked", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Step_WithoutActorOrReason_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => RotationMachine.Step(RotationState.Requested, RotationState.AwaitingNewKey, " ", "why", At));
        Assert.Throws<ArgumentException>(() => RotationMachine.Open("alice", "", At));
    }

    [Fact]
    public void Words_RoundTrip()
    {
        foreach (var state in Enum.GetValues<RotationState>())
        {
            Assert.Equal(state, RotationMachine.ParseState(RotationMachine.Describe(state)));
        }

        foreach (var reason in Enum.GetValues<RotationReason>())
        {
            Assert.Equal(reason, RotationMachine.ParseReason(RotationMachine.Describe(reason)));
        }

        Assert.Null(RotationMachine.ParseState("Staged"));
        Assert.Null(RotationMachine.ParseReason("boredom"));
    }
}
