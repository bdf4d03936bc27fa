using System.Security.Cryptography;
using System.Text;
using Keywarden.Core.Keys;
using Keywarden.Rotation.Sinks;
using Keywarden.Testing;

namespace Keywarden.Rotation.Tests.Sinks;

/// <summary>A throw-away directory for sink tests, and keys made at run time (no key-shaped literal in the repository).</summary>
internal sealed class SinkScratch : IDisposable
{
    private readonly TempDirectory _directory = new("kw-sink-test-");

    public string Directory => _directory.Path;

    public static UpstreamKey NewKey() => MarketingKey.Parse(RandomNumberGenerator.GetHexString(32, lowercase: true) + "-us21");

    /// <summary>Writes <paramref name="text"/> as UTF-8 bytes exactly as given (no BOM unless it starts with U+FEFF).</summary>
    public string File(string name, string text) => Bytes(name, Encoding.UTF8.GetBytes(text));

    public string Bytes(string name, byte[] bytes) => _directory.WriteBytes(name, bytes);

    public static string Read(string path) => Encoding.UTF8.GetString(System.IO.File.ReadAllBytes(path));

    /// <summary>Delivers <paramref name="key"/> through the sink that <paramref name="spec"/> describes.</summary>
    public static Task DeliverAsync(string spec, UpstreamKey key) =>
        new KeySinkFactory().Create(spec).DeliverAsync(key, TestContext.Current.CancellationToken);

    /// <summary>Delivers and expects a refusal; returns its message after checking the file is byte for byte unchanged.</summary>
    public static async Task<string> RefusedAsync(string spec, string path, UpstreamKey key)
    {
        var before = System.IO.File.ReadAllBytes(path);
        var error = await Assert.ThrowsAsync<SinkException>(() => DeliverAsync(spec, key));
        Assert.Equal(before, System.IO.File.ReadAllBytes(path));
        Assert.DoesNotContain(key.Value, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        return error.Message;
    }

    /// <summary>Names in the directory other than the files the test made: temporary files left behind.</summary>
    public IEnumerable<string> Leftovers(params string[] expected) =>
        System.IO.Directory.EnumerateFileSystemEntries(Directory).Select(Path.GetFileName).Except(expected)!;

    public void Dispose() => _directory.Dispose();
}
