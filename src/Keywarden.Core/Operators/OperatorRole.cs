namespace Keywarden.Core.Operators;

/// <summary>
/// What an operator or machine credential may do on the admin API, ordered: a higher role includes every lower one.
/// Default deny: an endpoint that declares no role is refused to everyone.
/// </summary>
public enum OperatorRole
{
    /// <summary>Reads: upstreams, tokens, rotations, audit, alerts.</summary>
    Viewer = 1,

    /// <summary>Viewer, and changes tokens, rotations and alerts.</summary>
    Operator = 2,

    /// <summary>Operator, and changes upstreams, sinks, notifications, operators, the master key and settings.</summary>
    Admin = 3,
}
