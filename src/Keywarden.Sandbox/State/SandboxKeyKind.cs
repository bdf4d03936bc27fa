namespace Keywarden.Sandbox;

/// <summary>Which Mailchimp API a sandbox key opens.</summary>
public enum SandboxKeyKind
{
    /// <summary>Marketing API 3.0: 32 lowercase hex, '-', datacenter.</summary>
    Marketing,

    /// <summary>Transactional (Mandrill): "md-" and 22 of [A-Za-z0-9_-].</summary>
    Transactional,
}
