using System.Text;

namespace Keywarden.Testing;

/// <summary>A directory under the system's temporary directory, removed (best effort) on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    /// <param name="prefix">The start of the directory's name, to tell whose it is when one is left behind.</param>
    public TempDirectory(string prefix = "kw-test-") => Path = Directory.CreateTempSubdirectory(prefix).FullName;

    public string Path { get; }

    /// <summary>The full path of <paramref name="relative"/> inside the directory (nothing is created).</summary>
    public string Combine(string relative) => System.IO.Path.Combine(Path, relative);

    /// <summary>Writes <paramref name="text"/> (UTF-8 without BOM by default), creating parent directories; returns the full path.</summary>
    public string Write(string relative, string text, Encoding? encoding = null) => WriteBytes(relative, (encoding ?? new UTF8Encoding(false)).GetBytes(text));

    public string WriteBytes(string relative, byte[] bytes)
    {
        var full = Combine(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, bytes);
        return full;
    }

    public void Dispose() => Delete(Path);

    /// <summary>Removes <paramref name="path"/> and everything in it, if it is still there; a file still open is not a test failure.</summary>
    public static void Delete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // already gone
        }
        catch (IOException)
        {
            // best effort: a temp directory
        }
        catch (UnauthorizedAccessException)
        {
            // best effort: a test made part of it read-only
        }
    }
}
