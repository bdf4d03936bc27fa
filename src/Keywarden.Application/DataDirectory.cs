namespace Keywarden.Application;

/// <summary>Where Keywarden keeps its state: where the front end is told, else <c>KEYWARDEN_DATA</c>, else <c>~/.keywarden</c>.</summary>
public sealed class DataDirectory
{
    /// <summary>The environment variable naming the data directory.</summary>
    public const string EnvironmentVariable = "KEYWARDEN_DATA";

    public DataDirectory(string root) => Root = Path.GetFullPath(root);

    /// <summary>The directory itself.</summary>
    public string Root { get; }

    /// <summary>The SQLite database.</summary>
    public string DatabasePath => Path.Combine(Root, "keywarden.db");

    /// <summary>Where <c>init</c> puts the master key file unless told otherwise.</summary>
    public string DefaultMasterKeyFile => Path.Combine(Root, "master.key");

    /// <summary>Where the gateway spools audit records before the answer leaves (see <see cref="Storage.Audit.AuditSpool"/>).</summary>
    public string AuditSpoolDirectory => Path.Combine(Root, "audit-spool");

    /// <summary>
    /// Settings <c>init</c> remembers for later commands: <c>{"version":1,"master_key_file":"…"}</c> when the master key
    /// file is not the default one. A path, never a secret.
    /// </summary>
    public string SettingsPath => Path.Combine(Root, "keywarden.json");

    /// <summary>The master key file <c>init</c> was told to use, or null (the default, or no settings).</summary>
    /// <exception cref="VaultException">The settings file exists but cannot be read.</exception>
    public string? RememberedMasterKeyFile()
    {
        if (!File.Exists(SettingsPath))
        {
            return null;
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(SettingsPath));
            return document.RootElement.TryGetProperty("master_key_file", out var file) ? file.GetString() : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or InvalidOperationException)
        {
            throw new VaultException(VaultErrorCode.SettingsUnreadable, SettingsPath, e.Message, e);
        }
    }

    /// <summary>Remembers the master key file for later commands (replaced atomically, 0600).</summary>
    public void RememberMasterKeyFile(string path) =>
        Core.IO.AtomicFile.Write(
            SettingsPath,
            System.Text.Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object> { ["version"] = 1, ["master_key_file"] = Path.GetFullPath(path) }) + "\n"));

    /// <summary>True once a vault has been initialised here.</summary>
    public bool IsInitialized => File.Exists(DatabasePath);

    /// <summary>Resolves the directory from an explicit option, the environment, or the home directory.</summary>
    public static DataDirectory Resolve(string? option, string? environmentValue, string homeDirectory) =>
        new(!string.IsNullOrWhiteSpace(option) ? option
            : !string.IsNullOrWhiteSpace(environmentValue) ? environmentValue
            : Path.Combine(homeDirectory, ".keywarden"));

    /// <summary>Creates the directory, readable by its owner only.</summary>
    public void Create()
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(Root);
        }
        else
        {
            Directory.CreateDirectory(Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>Fails (<see cref="VaultErrorCode.NoDataDirectory"/>) when no vault has been initialised here.</summary>
    public void EnsureInitialized()
    {
        if (!IsInitialized)
        {
            throw new VaultException(VaultErrorCode.NoDataDirectory, Root);
        }
    }
}
