namespace Keywarden.Scanner;

/// <summary>What a scan reads.</summary>
public enum ScanSource
{
    /// <summary>Files, directories and stdin.</summary>
    Files,

    /// <summary>Every blob in the history of a Git repository (<c>--git</c>), each once.</summary>
    GitHistory,

    /// <summary>The index of a Git repository: what <c>git commit</c> would record (<c>--staged</c>).</summary>
    Staged,
}
