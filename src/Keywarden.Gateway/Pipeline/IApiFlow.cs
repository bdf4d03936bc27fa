using Keywarden.Core.Keys;
using Keywarden.Core.Requests;
using Keywarden.Gateway.Errors;
using Keywarden.Gateway.Outcomes;
using Microsoft.AspNetCore.Http;

namespace Keywarden.Gateway.Pipeline;

/// <summary>
/// One upstream API in the gateway: its part of the pipeline after the request is canonicalised (read the credential
/// where that API carries it, authenticate, search for leaked tokens, judge, admit, inject the key, forward) and its
/// shape of the gateway's own answers. Registered in the gateway's services (<c>Keywarden.Mailchimp.Gateway</c>
/// registers Marketing and Transactional); the endpoint finds the flow by the API a request addresses, never by
/// branching on it. The shared steps are <see cref="Admission"/>, <see cref="UpstreamForwarding"/>,
/// <see cref="TokenLeaks"/>, <see cref="RequestBodies"/> and <see cref="Answers"/>.
/// </summary>
public interface IApiFlow
{
    /// <summary>The API this flow serves (<see cref="Core.Requests.RequestCanonicalizer.ApiOf"/> names it from the target).</summary>
    UpstreamKind Api { get; }

    /// <summary>Its name in metrics and logs, lower case (<c>marketing</c>).</summary>
    string Name { get; }

    /// <summary>Where its paths are, for people (<c>/3.0/… (Marketing)</c>).</summary>
    string PathHint { get; }

    /// <summary>The methods it takes, for the Allow header of a 405.</summary>
    string AllowedMethods { get; }

    /// <summary>Handles a canonicalised request to <see cref="Api"/>; <paramref name="origin"/> is its browser origin ("" when several).</summary>
    Task HandleAsync(HttpContext context, RequestOutcome outcome, CanonicalRequest canonical, string? origin);

    /// <summary>
    /// Writes the gateway's own answer in this API's shape: status, content type and body (the common headers are set).
    /// <paramref name="detail"/> is what the client should know, never a secret; the rejection's own words when null.
    /// </summary>
    Task WriteRefusalAsync(HttpContext context, GatewayRejection rejection, string? detail);
}
