using System.Text;

namespace Keywarden.Scanner.Tests;

internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Path = Directory.CreateTempSubdirectory("kw-scan-test-").FullName;

    public string Path { get; }

    public string Write(string relative, string text, Encoding? encoding = null) => WriteBytes(relative, (encoding ?? new UTF8Encoding(false)).GetBytes(text));

    public string WriteBytes(string relative, byte[] bytes)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, bytes);
        return full;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temp directory
        }
    }
}
