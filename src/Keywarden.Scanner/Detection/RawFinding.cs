namespace Keywarden.Scanner.Detection;

/// <summary>A detected secret before it is tied to a file: the only allocation the scan loop makes.</summary>
internal readonly record struct RawFinding(string RuleId, string Secret, long Line, long Column)
{
    public override string ToString() => $"{Line}:{Column} {RuleId}";
}
