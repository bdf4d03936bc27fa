namespace Keywarden.Scanner;

/// <summary>What the scan did about a leaked stored key: the rotation it opened or found open, or the command that opens one.</summary>
/// <param name="Status"><c>opened</c>, <c>already_open</c> or <c>not_opened</c> (the store could not be written: run <paramref name="NextStep"/>).</param>
/// <param name="RotationId">The rotation, unless none was opened.</param>
/// <param name="Summary">One line for a person, e.g. <c>leak rotation rot_… opened</c>.</param>
/// <param name="NextStep">The command to run next.</param>
public sealed record LeakRotation(string Status, string? RotationId, string Summary, string NextStep);
