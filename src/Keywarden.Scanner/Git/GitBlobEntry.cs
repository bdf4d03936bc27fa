namespace Keywarden.Scanner.Git;

/// <summary>A blob at a path, as a commit (or the index, with no commit) added or changed it.</summary>
internal readonly record struct GitBlobEntry(ObjectId Blob, string Path, GitCommit? Commit);
