namespace Keywarden.Core.Audit;

/// <summary>What an audit record describes.</summary>
public enum AuditKind
{
    /// <summary>One request through the gateway.</summary>
    Request,

    /// <summary>One administrative action: a token issued or revoked, an upstream added or removed, a master key rotated.</summary>
    Admin,
}
