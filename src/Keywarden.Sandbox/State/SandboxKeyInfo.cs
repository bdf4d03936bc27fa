namespace Keywarden.Sandbox;

/// <summary>
/// What the sandbox shows of a key after creation, like Mailchimp's API keys page: the first 4 characters and the
/// label, never the key.
/// </summary>
public sealed record SandboxKeyInfo(
    string KeyId,
    string AccountId,
    SandboxKeyKind Kind,
    string Name,
    string Prefix,
    SandboxKeyState State,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt);
