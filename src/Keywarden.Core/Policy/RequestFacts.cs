using System.Net;
using Keywarden.Core.Requests;

namespace Keywarden.Core.Policy;

/// <summary>Everything the policy judges about one request. Built by the gateway; never holds a secret.</summary>
/// <param name="Request">The canonical request.</param>
/// <param name="Operations">
/// For a batch (<see cref="CanonicalRequest.IsBatch"/>): each operation from <see cref="RequestCanonicalizer.CanonicalizeBatch"/>.
/// Otherwise the request's own <see cref="CanonicalRequest.Operation"/> (which is judged in any case).
/// </param>
/// <param name="Client">The client address, after trusted-proxy resolution.</param>
/// <param name="Origin">The <c>Origin</c> header, or null when the request has none.</param>
/// <param name="Now">The current instant, from the gateway's <see cref="TimeProvider"/>.</param>
/// <param name="Send">
/// For Transactional sending methods (needed when <see cref="CompiledPolicy.RequiresSendFacts"/> says so; the gateway
/// reads it for every send, for the audit): what <see cref="MandrillSendInspector.Inspect"/> read from the body, or null
/// when it could not.
/// </param>
public sealed record RequestFacts(
    CanonicalRequest Request,
    IReadOnlyList<CanonicalOperation> Operations,
    IPAddress Client,
    string? Origin,
    DateTimeOffset Now,
    SendFacts? Send);
