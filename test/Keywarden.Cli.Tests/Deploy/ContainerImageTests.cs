using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using Keywarden.Testing;

namespace Keywarden.Cli.Tests.Deploy;

/// <summary>
/// <c>dotnet publish -t:PublishContainer</c> builds the image as a tarball without Docker. The base image comes from
/// <see cref="BaseImageRegistry"/> (the real one is on mcr.microsoft.com, out of reach here): what is checked is what
/// Keywarden adds, the app, its user and its entrypoint.
/// </summary>
public sealed class ContainerImageTests : CliTestBase
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    [Fact]
    public async Task PublishContainer_WritesATarball_HoldingTheApp_RunAsANonRootUser_WithServeAsTheEntrypoint()
    {
        await using var registry = await BaseImageRegistry.StartAsync();
        var archive = Path.Combine(Scratch, "keywarden.tar.gz");

        var publish = await ExternalProgram.RunAsync(
            Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
            [
                "publish", Path.Combine(RepositoryRoot.Path, "src", "Keywarden.Cli"), "-t:PublishContainer", "-c", Configuration,
                "-o", Path.Combine(Scratch, "publish"), $"-p:ContainerBaseImage={registry.Host}/stand-in/base:1",
                $"-p:ContainerArchiveOutputPath={archive}", "-nologo", "-v:q",
            ],
            RepositoryRoot.Path,
            new Dictionary<string, string?> { ["DOTNET_CONTAINER_INSECURE_REGISTRIES"] = registry.Host, ["MSBUILDNOINPROCNODE"] = null },
            TimeSpan.FromMinutes(10));
        Assert.True(publish.ExitCode == 0, publish.All);

        var image = ReadArchive(archive);
        var index = JsonDocument.Parse(Assert.Contains("index.json", image)).RootElement;
        var manifest = Blob(image, Assert.Single(index.GetProperty("manifests").EnumerateArray()));
        var config = Blob(image, manifest.GetProperty("config")).GetProperty("config");
        var layers = manifest.GetProperty("layers").EnumerateArray().Select(l => LayerFiles(image[BlobPath(l)])).ToList();

        var user = config.GetProperty("User").GetString();
        Assert.False(user is null or "" or "root" or "0" || user.StartsWith("0:", StringComparison.Ordinal), $"runs as '{user}'");
        var entrypoint = string.Join(' ', config.GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains(entrypoint, new[] { "/app/keywarden serve", "dotnet /app/keywarden.dll serve" }); // the SDK picks the apphost or the dll
        Assert.Contains("KEYWARDEN_MASTER_KEY_FILE=/run/secrets/master-key", config.GetProperty("Env").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains(layers, l => l.Contains(BaseImageRegistry.MarkerFile));
        var app = Assert.Single(layers, l => l.Contains("app/keywarden.dll"));
        Assert.Contains("app/Keywarden.Gateway.dll", app);
    }

    /// <summary>The JSON a descriptor (<c>{"digest": "sha256:…"}</c>) points at, in the OCI layout's <c>blobs/</c>.</summary>
    private static JsonElement Blob(Dictionary<string, byte[]> image, JsonElement descriptor) => JsonDocument.Parse(image[BlobPath(descriptor)]).RootElement;

    private static string BlobPath(JsonElement descriptor) => "blobs/" + descriptor.GetProperty("digest").GetString()!.Replace(':', '/');

    /// <summary>Every file of the archive (an OCI image layout: index.json, then manifest, config and layers under blobs/) by name.</summary>
    private static Dictionary<string, byte[]> ReadArchive(string path)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var reader = new TarReader(Unzipped(File.ReadAllBytes(path)));
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.DataStream is { } data)
            {
                using var copy = new MemoryStream();
                data.CopyTo(copy);
                files[entry.Name] = copy.ToArray();
            }
        }

        return files;
    }

    /// <summary>The paths a layer holds, without a leading <c>./</c> or <c>/</c>.</summary>
    private static HashSet<string> LayerFiles(byte[] layer)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        using var reader = new TarReader(Unzipped(layer));
        while (reader.GetNextEntry() is { } entry)
        {
            names.Add(entry.Name.TrimStart('.').TrimStart('/').TrimEnd('/'));
        }

        return names;
    }

    private static Stream Unzipped(byte[] bytes) =>
        bytes is [0x1f, 0x8b, ..] ? new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress) : new MemoryStream(bytes);
}
