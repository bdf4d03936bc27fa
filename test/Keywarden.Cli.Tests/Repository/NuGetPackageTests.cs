using System.IO.Compression;
using System.Reflection;
using System.Xml.Linq;
using Keywarden.Testing;

namespace Keywarden.Cli.Tests.Repository;

/// <summary>The dotnet tool package: the README is its page, MIT its licence, as the LICENSE file says.</summary>
public sealed class NuGetPackageTests : IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("kw-pack-").FullName;

    [Fact]
    public async Task Pack_PutsTheRepositoryReadmeInThePackage_AndNamesItAndTheMitLicenseInTheNuspec()
    {
        // --no-build packs what this test run already built (same configuration): seconds, not a Release build.
        var configuration = typeof(NuGetPackageTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var pack = await ExternalProgram.RunAsync(
            Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
            ["pack", Path.Combine("src", "Keywarden.Cli"), "--no-build", "-c", configuration, "-o", _output, "--disable-build-servers", "-nodeReuse:false"],
            RepositoryRoot.Path,
            new Dictionary<string, string?> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" },
            TimeSpan.FromSeconds(120));

        Assert.True(pack.ExitCode == 0, pack.All);
        var package = Assert.Single(Directory.GetFiles(_output, "Keywarden.Cli.*.nupkg"));
        using var zip = ZipFile.OpenRead(package);
        var readme = zip.GetEntry("README.md");
        Assert.NotNull(readme);
        using (var reader = new StreamReader(readme.Open()))
        {
            Assert.Equal(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "README.md"), TestContext.Current.CancellationToken), await reader.ReadToEndAsync(TestContext.Current.CancellationToken));
        }

        var nuspecEntry = Assert.Single(zip.Entries, e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/', StringComparison.Ordinal));
        XDocument nuspec;
        using (var stream = nuspecEntry.Open())
        {
            nuspec = await XDocument.LoadAsync(stream, LoadOptions.None, TestContext.Current.CancellationToken);
        }

        var metadata = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Element(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
        Assert.Equal("README.md", Element("readme"));
        Assert.Equal("MIT", Element("license"));
        Assert.Equal("expression", metadata.Elements().Single(e => e.Name.LocalName == "license").Attribute("type")?.Value);
        Assert.Contains(zip.Entries, e => e.FullName.EndsWith("/keywarden.dll", StringComparison.Ordinal) && e.FullName.StartsWith("tools/", StringComparison.Ordinal));
    }

    [Fact]
    public void License_IsMit_WithTheContributorsCopyright()
    {
        var license = File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "LICENSE"));

        Assert.Equal("MIT License", license[0]);
        Assert.Contains("Copyright (c) 2026 Keywarden contributors", license);
        Assert.Contains(license, l => l.StartsWith("THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_output, recursive: true);
}
