using Keywarden.Core.Keys;
using Keywarden.Core.Requests;
using Keywarden.Gateway.Outcomes;
using Microsoft.AspNetCore.Http;

namespace Keywarden.Gateway.Pipeline;

/// <summary>
/// One API's part of the pipeline, after the request is canonicalised: read the credential where that API carries it,
/// authenticate, search for leaked tokens, judge, admit, inject the key and forward. The endpoint finds the flow by
/// the API the request addresses, not by branching on it.
/// </summary>
internal interface IApiFlow
{
    /// <summary>The API this flow serves.</summary>
    UpstreamKind Api { get; }

    /// <summary>Handles a canonicalised request to <see cref="Api"/>; <paramref name="origin"/> is its browser origin ("" when several).</summary>
    Task HandleAsync(HttpContext context, RequestOutcome outcome, CanonicalRequest canonical, string? origin);
}
