namespace Keywarden.Scanner;

/// <summary>Report formats: text for people, JSON for scripts, SARIF 2.1.0 for code-scanning UIs.</summary>
public enum ScanFormat
{
    Text,
    Json,
    Sarif,
}
