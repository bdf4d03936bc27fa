using Microsoft.Extensions.FileSystemGlobbing.Abstractions;

namespace Keywarden.Scanner.Files;

/// <summary>
/// A directory that <see cref="Microsoft.Extensions.FileSystemGlobbing.Matcher"/> walks without touching the disk: a step
/// on the way to the directory being decided, that directory with its entries, or one of its subdirectories. The Matcher
/// enters a directory only when no exclude matches it, so <see cref="Entered"/> is its verdict on that directory.
/// </summary>
internal sealed class MatcherDirectory(string name, MatcherDirectory? parent) : DirectoryInfoBase
{
    public List<FileSystemInfoBase> Children { get; } = [];

    public bool Entered { get; private set; }

    public override string Name => name;

    public override string FullName => name;

    // The Matcher reads a path's segments back up through the parents ("**/a/*" tests a file's parent's name).
    public override DirectoryInfoBase? ParentDirectory => parent;

    public override IEnumerable<FileSystemInfoBase> EnumerateFileSystemInfos()
    {
        Entered = true;
        return Children;
    }

    public override DirectoryInfoBase? GetDirectory(string path) => null;

    public override FileInfoBase? GetFile(string path) => null;
}
