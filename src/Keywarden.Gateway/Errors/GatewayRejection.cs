namespace Keywarden.Gateway.Errors;

/// <summary>Why the gateway answered itself instead of forwarding. An expected outcome, reported as a value.</summary>
internal enum GatewayRejection
{
    NotAnApiPath,
    MissingCredential,
    InvalidCredential,
    AmbiguousCredential,
    MalformedRequest,
    Forbidden,
    BodyTooLarge,
    BodyTooSlow,
    MethodNotAllowed,
    RateLimited,
    QuotaExceeded,
    KeyBusy,
    AuditUnavailable,
    UpstreamUnavailable,
    UpstreamTimeout,
    InternalError,
}
