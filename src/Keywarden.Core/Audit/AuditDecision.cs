namespace Keywarden.Core.Audit;

/// <summary>How an audited request or action ended.</summary>
public enum AuditDecision
{
    /// <summary>Allowed (and, for a request, forwarded).</summary>
    Allow,

    /// <summary>Refused by policy or authentication.</summary>
    Deny,

    /// <summary>Failed: the upstream could not be reached, or Keywarden itself failed.</summary>
    Error,
}
