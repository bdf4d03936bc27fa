namespace Keywarden.Core.Rotation;

/// <summary>One step of a rotation, with who took it, why and when. Never holds a secret.</summary>
/// <param name="From">The state left, or null for the step that opened the rotation.</param>
/// <param name="To">The state entered.</param>
/// <param name="Actor">Who acted: the OS user, <c>scanner</c> or <c>scheduler</c>.</param>
/// <param name="Why">A short reason a person can read.</param>
/// <param name="At">When the step was taken.</param>
public sealed record RotationTransition(RotationState? From, RotationState To, string Actor, string Why, DateTimeOffset At);
