using Keywarden.Gateway.Pipeline;
using Microsoft.AspNetCore.Http;

namespace Keywarden.Gateway.Errors;

/// <summary>
/// The answer to a request that addresses no API the gateway serves (another path, <c>OPTIONS *</c>, CONNECT): a neutral
/// problem+json (<c>"type":"about:blank"</c>), since no API's client is there to read a shape of its own. Its 404 names
/// the paths the registered flows serve.
/// </summary>
internal sealed class NeutralAnswers
{
    /// <summary>Every method an API flow may take, for the Allow header of a 405 outside any API.</summary>
    public const string AllowedMethods = "GET, POST, PUT, PATCH, DELETE, OPTIONS";

    private readonly string _notFound;

    public NeutralAnswers(IEnumerable<IApiFlow> flows)
    {
        var served = flows.Select(f => f.PathHint).ToList();
        _notFound = served.Count == 0
            ? "The gateway serves no API."
            : $"Not an API path: the gateway serves {string.Join(" and ", served)}.";
    }

    public Task WriteAsync(HttpContext context, GatewayRejection rejection, string? detail)
    {
        var (title, fallback) = rejection switch
        {
            GatewayRejection.NotAnApiPath => ("Not Found", _notFound),
            GatewayRejection.MethodNotAllowed => ("Method Not Allowed", "The requested method and resource are not compatible."),
            GatewayRejection.MalformedRequest => ("Bad Request", "The request could not be understood."),
            GatewayRejection.BodyTooLarge => ("Request Entity Too Large", "The request body is larger than the gateway accepts."),
            GatewayRejection.BodyTooSlow => ("Request Timeout", "The request body arrived too slowly."),
            GatewayRejection.AuditUnavailable => ("Service Unavailable", "The gateway cannot write audit records and refuses unaudited traffic."),
            _ => ("Internal Server Error", "An unexpected error occurred."),
        };
        return JsonAnswer.WriteProblemAsync(context, RejectionStatus.Of(rejection), "about:blank", title, JsonAnswer.Detail(detail, fallback));
    }
}
