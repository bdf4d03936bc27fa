namespace Keywarden.Sandbox.State;

/// <summary>A key as the sandbox stores it. Mutable only under <see cref="SandboxState"/>'s lock.</summary>
internal sealed class KeyRecord
{
    public KeyRecord(string keyId, string accountId, SandboxKeyKind kind, string name, string secret, DateTimeOffset createdAt)
    {
        KeyId = keyId;
        AccountId = accountId;
        Kind = kind;
        Name = name;
        Secret = secret;
        CreatedAt = createdAt;
    }

    public string KeyId { get; }

    public string AccountId { get; }

    public SandboxKeyKind Kind { get; }

    public string Name { get; }

    public string Secret { get; }

    public DateTimeOffset CreatedAt { get; }

    public DateTimeOffset? RevokedAt { get; set; }

    public bool IsActive => RevokedAt is null;

    /// <summary>First 4 characters: what Mailchimp's API keys page shows after creation.</summary>
    public string Prefix => Secret[..4];

    public SandboxKeyInfo ToInfo() =>
        new(KeyId, AccountId, Kind, Name, Prefix, IsActive ? SandboxKeyState.Active : SandboxKeyState.Revoked, CreatedAt, RevokedAt);

    public override string ToString() => $"{Kind} key {KeyId} ({Prefix}…)";
}
