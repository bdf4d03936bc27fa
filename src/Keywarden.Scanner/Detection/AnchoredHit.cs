namespace Keywarden.Scanner.Detection;

/// <summary>A match of an anchored pattern in a window (or, with no rule, a <c>keywarden:allow</c> marker), before it has a line.</summary>
internal readonly record struct AnchoredHit(int Start, int Length, string? RuleId);
