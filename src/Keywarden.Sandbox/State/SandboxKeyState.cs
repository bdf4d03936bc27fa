namespace Keywarden.Sandbox;

/// <summary>Whether a sandbox key still opens its API.</summary>
public enum SandboxKeyState
{
    Active,
    Revoked,
}
