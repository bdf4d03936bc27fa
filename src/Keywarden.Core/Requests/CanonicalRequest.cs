using Keywarden.Core.Keys;

namespace Keywarden.Core.Requests;

/// <summary>
/// A gateway request in canonical form: what the policy judges (<see cref="Operation"/>) and what the gateway forwards
/// (<see cref="ForwardPath"/>, <see cref="Query"/>) are the same thing.
/// </summary>
/// <param name="Api">
/// The API the path addresses. The gateway must refuse a request whose API differs from the token's upstream
/// (or compile the policy with <see cref="Policy.CompiledPolicy.Compile(Policy.TokenPolicy, UpstreamKind)"/>, which does).
/// </param>
/// <param name="Operation">The request itself as judged. For a batch this is <c>POST /batches</c>; the batch is judged by its operations.</param>
/// <param name="ForwardPath">
/// Exactly the path to forward upstream: each canonical segment re-encoded minimally, so that it decodes to exactly
/// <see cref="CanonicalOperation.Path"/>. Marketing: <c>/3.0/lists/abc123/members</c> (the root is <c>/3.0/</c>).
/// Transactional: always <c>/api/1.0/&lt;group&gt;/&lt;method&gt;.json</c>.
/// </param>
/// <param name="Query">Marketing: the query string to forward as received, without <c>?</c>, or null when empty. Transactional: null.</param>
/// <param name="IsBatch">
/// True for Marketing <c>POST /3.0/batches</c>: the gateway must read the body, call
/// <see cref="RequestCanonicalizer.CanonicalizeBatch"/> and judge each operation.
/// </param>
public sealed record CanonicalRequest(
    UpstreamKind Api,
    CanonicalOperation Operation,
    string ForwardPath,
    string? Query,
    bool IsBatch);
