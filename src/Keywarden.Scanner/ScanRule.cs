namespace Keywarden.Scanner;

/// <summary>A rule findings can carry: its id (a contract for baselines, SARIF and scripts) and one line describing it.</summary>
public sealed record ScanRule(string Id, string Description);
