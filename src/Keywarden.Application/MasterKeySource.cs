using System.Text;
using Keywarden.Core.Crypto;
using Keywarden.Core.IO;

namespace Keywarden.Application;

/// <summary>
/// Where the master key comes from: <c>KEYWARDEN_MASTER_KEY</c> (base64) when set, else a key file
/// (<c>KEYWARDEN_MASTER_KEY_FILE</c>, else <c>master.key</c> in the data directory), which must be
/// readable by its owner only.
/// </summary>
public sealed class MasterKeySource
{
    /// <summary>Environment variable holding the base64 master key.</summary>
    public const string KeyVariable = "KEYWARDEN_MASTER_KEY";

    /// <summary>Environment variable naming the master key file.</summary>
    public const string FileVariable = "KEYWARDEN_MASTER_KEY_FILE";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string? _environmentKey;

    public MasterKeySource(string? environmentKey, string keyFilePath)
    {
        _environmentKey = string.IsNullOrWhiteSpace(environmentKey) ? null : environmentKey;
        KeyFilePath = Path.GetFullPath(keyFilePath);
    }

    /// <summary>True when the key comes from <c>KEYWARDEN_MASTER_KEY</c>.</summary>
    public bool FromEnvironment => _environmentKey is not null;

    /// <summary>The key file used when the environment variable is not set.</summary>
    public string KeyFilePath { get; }

    /// <summary>Where a master key rotation stages the new key file before it replaces the old one.</summary>
    public string NextKeyFilePath => KeyFilePath + ".next";

    /// <summary>Loads the master key.</summary>
    /// <exception cref="VaultException">Missing, unreadable, too widely readable, or malformed.</exception>
    public MasterKey Load()
    {
        if (_environmentKey is not null)
        {
            return Parse(_environmentKey, KeyVariable);
        }

        return LoadFile(KeyFilePath);
    }

    /// <summary>Creates a new key file (mode 0600). Refuses to overwrite an existing one.</summary>
    public MasterKey CreateFile()
    {
        if (File.Exists(KeyFilePath))
        {
            throw new VaultException(VaultErrorCode.MasterKeyFileExists, KeyFilePath);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(KeyFilePath)!);
        var key = MasterKey.Generate();
        WriteKeyFile(KeyFilePath, key, overwrite: false);
        return key;
    }

    /// <summary>Writes a key file atomically with mode 0600.</summary>
    public static void WriteKeyFile(string path, MasterKey key, bool overwrite)
    {
        ArgumentNullException.ThrowIfNull(key);
        try
        {
            AtomicFile.Write(path, Encoding.ASCII.GetBytes(key.ToBase64() + "\n"), OwnerOnly, overwrite);
        }
        catch (IOException e)
        {
            throw new VaultException(VaultErrorCode.MasterKeyFileNotWritten, path, e.Message, e);
        }
    }

    /// <summary>Loads a key file, refusing one that others can read.</summary>
    public static MasterKey LoadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new VaultException(VaultErrorCode.MasterKeyFileMissing, path);
        }

        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
            {
                throw new VaultException(VaultErrorCode.MasterKeyFileTooOpen, path, Convert.ToString((int)mode, 8));
            }
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VaultException(VaultErrorCode.MasterKeyFileUnreadable, path, e.Message, e);
        }

        return Parse(text, path);
    }

    private static MasterKey Parse(string text, string origin)
    {
        try
        {
            return MasterKey.FromBase64(text);
        }
        catch (KeywardenCryptoException e)
        {
            throw new VaultException(VaultErrorCode.MasterKeyMalformed, origin, e.Message, e);
        }
    }
}
