namespace Keywarden.Sandbox;

/// <summary>
/// One request the sandbox received on a Mailchimp API (control calls are not recorded). Holds the id of the key
/// used, never the key, and no Authorization header.
/// </summary>
/// <param name="Time">When the request arrived.</param>
/// <param name="Method">HTTP method on the wire.</param>
/// <param name="EffectiveMethod">The method the sandbox handled it as (after X-HTTP-Method-Override).</param>
/// <param name="Path">Path as received (decoded once).</param>
/// <param name="Query">Query string as received, with any key-like parameter redacted.</param>
/// <param name="Api">"marketing", "transactional" or "other".</param>
/// <param name="KeyId">Id of the key presented, when it matched a key the sandbox issued (active or revoked).</param>
/// <param name="AccountId">Account of that key.</param>
/// <param name="AuthScheme">"basic", "bearer", "apikey", "body" (Mandrill) or null when no key was presented.</param>
/// <param name="Status">HTTP status of the response.</param>
/// <param name="Headers">Selected request headers (never Authorization or cookies).</param>
/// <param name="BatchOperations">For POST /3.0/batches: each operation the sandbox ran.</param>
public sealed record RecordedRequest(
    DateTimeOffset Time,
    string Method,
    string EffectiveMethod,
    string Path,
    string Query,
    string Api,
    string? KeyId,
    string? AccountId,
    string? AuthScheme,
    int Status,
    IReadOnlyDictionary<string, string> Headers,
    IReadOnlyList<RecordedBatchOperation> BatchOperations);
