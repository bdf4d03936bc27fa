namespace Keywarden.Sandbox;

/// <summary>A key just created: the only place the full key is ever given out.</summary>
public sealed class CreatedSandboxKey
{
    internal CreatedSandboxKey(SandboxKeyInfo info, string key)
    {
        Info = info;
        Key = key;
    }

    public SandboxKeyInfo Info { get; }

    /// <summary>The full secret key. Shown once; the sandbox never shows it again.</summary>
    public string Key { get; }

    public string KeyId => Info.KeyId;

    /// <summary>Never shows the key, so a key cannot leak through a log line or a failed assertion.</summary>
    public override string ToString() => $"{Info.Kind} key {Info.KeyId} ({Info.Prefix}…, \"{Info.Name}\")";
}
