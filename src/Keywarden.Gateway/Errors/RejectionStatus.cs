using Microsoft.AspNetCore.Http;

namespace Keywarden.Gateway.Errors;

/// <summary>The HTTP status of each <see cref="GatewayRejection"/> in REST terms; an API that words errors otherwise (Mandrill's 500s) maps its own.</summary>
public static class RejectionStatus
{
    public static int Of(GatewayRejection rejection) => rejection switch
    {
        GatewayRejection.NotAnApiPath => StatusCodes.Status404NotFound,
        GatewayRejection.MissingCredential or GatewayRejection.InvalidCredential => StatusCodes.Status401Unauthorized,
        GatewayRejection.AmbiguousCredential or GatewayRejection.MalformedRequest => StatusCodes.Status400BadRequest,
        GatewayRejection.Forbidden => StatusCodes.Status403Forbidden,
        GatewayRejection.MethodNotAllowed => StatusCodes.Status405MethodNotAllowed,
        GatewayRejection.BodyTooLarge => StatusCodes.Status413PayloadTooLarge,
        GatewayRejection.BodyTooSlow => StatusCodes.Status408RequestTimeout,
        GatewayRejection.RateLimited or GatewayRejection.QuotaExceeded or GatewayRejection.KeyBusy => StatusCodes.Status429TooManyRequests,
        GatewayRejection.AuditUnavailable => StatusCodes.Status503ServiceUnavailable,
        GatewayRejection.UpstreamUnavailable => StatusCodes.Status502BadGateway,
        GatewayRejection.UpstreamTimeout => StatusCodes.Status504GatewayTimeout,
        _ => StatusCodes.Status500InternalServerError,
    };
}
