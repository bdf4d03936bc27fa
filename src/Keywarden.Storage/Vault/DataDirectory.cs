namespace Keywarden.Storage.Vault;

/// <summary>Where Keywarden keeps its state: <c>--data</c>, else <c>KEYWARDEN_DATA</c>, else <c>~/.keywarden</c>.</summary>
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

    /// <summary>Where the gateway spools audit records before the answer leaves (see <see cref="Audit.AuditSpool"/>).</summary>
    public string AuditSpoolDirectory => Path.Combine(Root, "audit-spool");

    /// <summary>True once <c>keywarden init</c> has run here.</summary>
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

    /// <summary>Fails with a clear message when <c>init</c> has not run.</summary>
    public void EnsureInitialized()
    {
        if (!IsInitialized)
        {
            throw new VaultException($"no Keywarden data in {Root}: run 'keywarden init' first (or pass --data / set {EnvironmentVariable})");
        }
    }
}
