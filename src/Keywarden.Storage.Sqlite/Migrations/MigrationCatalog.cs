using System.Globalization;
using System.Reflection;

namespace Keywarden.Storage.Sqlite.Migrations;

/// <summary>
/// The migrations shipped in this assembly: embedded files <c>NNNN_name.sql</c>. Versions must run
/// 1, 2, 3… without gaps, so that a missing file fails every test instead of a user's upgrade.
/// </summary>
internal static class MigrationCatalog
{
    private const string ResourcePrefix = "Keywarden.Storage.Sqlite.Migrations.";

    public static IReadOnlyList<Migration> All { get; } = Load();

    /// <summary>The schema version this program writes.</summary>
    public static int LatestVersion => All[^1].Version;

    private static Migration[] Load()
    {
        var assembly = typeof(MigrationCatalog).Assembly;
        var migrations = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => Read(assembly, name))
            .OrderBy(migration => migration.Version)
            .ToArray();

        for (var i = 0; i < migrations.Length; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException(
                    $"schema migrations must be numbered 1, 2, 3… without gaps or duplicates; found version {migrations[i].Version} at position {i + 1}");
            }
        }

        return migrations.Length > 0 ? migrations : throw new InvalidOperationException("no schema migrations are embedded");
    }

    private static Migration Read(Assembly assembly, string resourceName)
    {
        var fileName = resourceName[ResourcePrefix.Length..^".sql".Length];
        var separator = fileName.IndexOf('_', StringComparison.Ordinal);
        if (separator <= 0 || !int.TryParse(fileName.AsSpan(0, separator), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            throw new InvalidOperationException($"migration '{fileName}.sql' must be named NNNN_description.sql");
        }

        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"migration resource '{resourceName}' is missing");
        using var reader = new StreamReader(stream);
        return new Migration(version, fileName[(separator + 1)..], reader.ReadToEnd());
    }
}
