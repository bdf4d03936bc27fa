namespace Keywarden.Gateway.Errors;

/// <summary>
/// Why the gateway answered itself instead of forwarding. An expected outcome, reported as a value; each API's flow
/// words it in that API's shape (<see cref="Pipeline.IApiFlow.WriteRefusalAsync"/>).
/// </summary>
public enum GatewayRejection
{
    /// <summary>The target is no path of the API (or of any API).</summary>
    NotAnApiPath,

    /// <summary>No credential where the API carries it.</summary>
    MissingCredential,

    /// <summary>A credential that is no live token of this API.</summary>
    InvalidCredential,

    /// <summary>More than one credential.</summary>
    AmbiguousCredential,

    /// <summary>A request the gateway cannot judge (path, body, a token where it leaks).</summary>
    MalformedRequest,

    /// <summary>The token's policy refuses the request.</summary>
    Forbidden,

    /// <summary>A body above the gateway's limit.</summary>
    BodyTooLarge,

    /// <summary>A body sent slower than the minimum rate.</summary>
    BodyTooSlow,

    /// <summary>An HTTP method the API does not take.</summary>
    MethodNotAllowed,

    /// <summary>The token's request rate is spent.</summary>
    RateLimited,

    /// <summary>The token's daily message quota is spent.</summary>
    QuotaExceeded,

    /// <summary>Every concurrency slot of the real key stayed busy.</summary>
    KeyBusy,

    /// <summary>Audit records cannot be written (audit or refuse).</summary>
    AuditUnavailable,

    /// <summary>The upstream could not be reached.</summary>
    UpstreamUnavailable,

    /// <summary>The upstream did not answer in time.</summary>
    UpstreamTimeout,

    /// <summary>A failure no step expected.</summary>
    InternalError,
}
