using Microsoft.Extensions.FileSystemGlobbing.Abstractions;

namespace Keywarden.Scanner.Files;

/// <summary>A file of a <see cref="MatcherDirectory"/>: only its name and its parents' names are matched.</summary>
internal sealed class MatcherFile(string name, MatcherDirectory parent) : FileInfoBase
{
    public override string Name => name;

    public override string FullName => name;

    public override DirectoryInfoBase ParentDirectory => parent;
}
