namespace Keywarden.Testing;

/// <summary>The repository's root: the first directory above the test binaries that holds Keywarden.slnx.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(Find);

    public static string Path => Root.Value;

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Keywarden.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Keywarden.slnx above {AppContext.BaseDirectory}.");
    }
}
