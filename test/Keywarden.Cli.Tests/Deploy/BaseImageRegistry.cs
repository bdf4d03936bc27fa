using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Keywarden.Cli.Tests.Deploy;

/// <summary>
/// A stand-in for the container registry the SDK pulls its base image from (mcr.microsoft.com, unreachable here): the
/// read-only half of the OCI distribution API on loopback, serving one tiny linux/amd64 image whose single layer holds
/// a marker file. Enough for <c>dotnet publish -t:PublishContainer</c> to build an image tarball offline.
/// </summary>
internal sealed class BaseImageRegistry : IAsyncDisposable
{
    /// <summary>The file the base image's layer holds, so a test can tell the base's layer from the app's.</summary>
    public const string MarkerFile = "etc/keywarden-test-base";

    private const string ManifestType = "application/vnd.oci.image.manifest.v1+json";
    private readonly WebApplication _app;
    private readonly Dictionary<string, byte[]> _blobs = new(StringComparer.Ordinal);
    private readonly byte[] _manifest;

    private BaseImageRegistry(WebApplication app)
    {
        _app = app;
        var (layer, diffId) = Layer();
        var layerDigest = Add(layer);
        var config = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["config"] = new JsonObject { ["Env"] = new JsonArray("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin") },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray(diffId) },
        }.ToJsonString());
        var configDigest = Add(config);
        _manifest = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = ManifestType,
            ["config"] = new JsonObject { ["mediaType"] = "application/vnd.oci.image.config.v1+json", ["digest"] = configDigest, ["size"] = config.Length },
            ["layers"] = new JsonArray(new JsonObject { ["mediaType"] = "application/vnd.oci.image.layer.v1.tar+gzip", ["digest"] = layerDigest, ["size"] = layer.Length }),
        }.ToJsonString());
    }

    /// <summary><c>127.0.0.1:PORT</c>, the registry part of an image name.</summary>
    public string Host { get; private set; } = "";

    public static async Task<BaseImageRegistry> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var registry = new BaseImageRegistry(app);
        app.MapGet("/v2/", () => Results.Ok());
        app.MapMethods("/v2/{**path}", ["GET", "HEAD"], registry.Serve);
        await app.StartAsync();
        registry.Host = new Uri(app.Urls.First()).Authority;
        return registry;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private IResult Serve(string path)
    {
        if (path.Contains("/manifests/", StringComparison.Ordinal))
        {
            return Blob(_manifest, ManifestType);
        }

        var digest = path[(path.LastIndexOf('/') + 1)..];
        return path.Contains("/blobs/", StringComparison.Ordinal) && _blobs.TryGetValue(digest, out var blob)
            ? Blob(blob, "application/octet-stream")
            : Results.NotFound();
    }

    private static IResult Blob(byte[] content, string type) => new RegistryBlob(content, type, Digest(content));

    private string Add(byte[] blob)
    {
        var digest = Digest(blob);
        _blobs[digest] = blob;
        return digest;
    }

    internal static string Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>The gzipped layer and the digest of its uncompressed tar (the config's diff_id).</summary>
    private static (byte[] Layer, string DiffId) Layer()
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "etc/"));
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, MarkerFile) { DataStream = new MemoryStream("stand-in base image\n"u8.ToArray()) });
        }

        using var gzipped = new MemoryStream();
        using (var gzip = new GZipStream(gzipped, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(tar.ToArray());
        }

        return (gzipped.ToArray(), Digest(tar.ToArray()));
    }
}
