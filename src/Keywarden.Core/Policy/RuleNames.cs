namespace Keywarden.Core.Policy;

/// <summary>
/// The rule names a gateway request's audit record and metrics carry: one table, beside <see cref="DecisionRule"/>, for
/// the gateway that writes them and for whatever reads them (the audit export, metrics, the coming anomaly detectors).
/// A name is stable once released: audit records keep it for good.
/// </summary>
public static class RuleNames
{
    /// <summary>Every check passed: the request was forwarded.</summary>
    public const string Allow = "allow";

    /// <summary>A CORS preflight for an origin some token allows, answered by the gateway.</summary>
    public const string Preflight = "preflight";

    /// <summary>Nothing decided yet (a record made before any step ran).</summary>
    public const string None = "none";

    /// <summary>Refused because its audit record could not be written (audit or refuse).</summary>
    public const string Audit = "audit";

    /// <summary>An HTTP method the API does not take (CONNECT, TRACE; not POST on Transactional).</summary>
    public const string HttpMethod = "method";

    /// <summary>A target that is neither API's path.</summary>
    public const string NotApi = "not-api";

    /// <summary>A path, method override or batch the canonicaliser refuses.</summary>
    public const string Canonical = "canonical";

    /// <summary>A body above the gateway's limit.</summary>
    public const string BodySize = "body-size";

    /// <summary>A compressed body (Content-Encoding other than identity).</summary>
    public const string BodyEncoding = "body-encoding";

    /// <summary>A body sent slower than the minimum rate.</summary>
    public const string BodyTimeout = "body-timeout";

    /// <summary>A body with bad chunked framing, or shorter than its Content-Length.</summary>
    public const string BodyMalformed = "body-malformed";

    /// <summary>A Transactional body the gateway cannot read, or with a field given twice.</summary>
    public const string Body = "body";

    /// <summary>No credential, two of them, or one that is not a gateway token.</summary>
    public const string Credential = "credential";

    /// <summary>A gateway token in the URL (where it leaks into logs).</summary>
    public const string TokenInUrl = "token-in-url";

    /// <summary>A well-formed token this gateway never issued (recorded without a token id).</summary>
    public const string TokenUnknown = "token-unknown";

    /// <summary>A revoked token.</summary>
    public const string TokenRevoked = "token-revoked";

    /// <summary>
    /// A token whose upstream cannot be served (removed, or its key cannot be opened). Not a suspended token, despite the
    /// name (kept: released names are stable): that is <see cref="TokenHeld"/>.
    /// </summary>
    public const string TokenSuspended = "token-suspended";

    /// <summary>
    /// A token suspended by the anomaly monitor or an operator (<c>token suspend</c>), until an operator resumes it. Answered
    /// as forbidden, saying so, not as an invalid key: the application's owner must learn why it stopped working.
    /// </summary>
    public const string TokenHeld = "token-held";

    /// <summary>
    /// A decoy token: planted to be found, never used by anyone legitimate. Answered exactly as a revoked token, never
    /// forwarded; its record names the decoy and the client, whose address is then blocked for a while (stable name: the
    /// anomaly monitor raises a critical alert on it).
    /// </summary>
    public const string Decoy = "decoy";

    /// <summary>
    /// Any request from a client address blocked after it used a decoy, whatever token it carries, for the block's
    /// duration (<c>serve --decoy-block</c>). Answered as an invalid key.
    /// </summary>
    public const string AddressBlocked = "address-blocked";

    /// <summary>A token replaced by a rotation, past its grace.</summary>
    public const string TokenRotated = "token-rotated";

    /// <summary>A token of the other API's upstream.</summary>
    public const string TokenWrongApi = "token-wrong-api";

    /// <summary>The token (or another) outside the credential: path, query, another header, the body.</summary>
    public const string TokenLeak = "token-leak";

    /// <summary>A preflight for an origin no token allows.</summary>
    public const string PreflightOrigin = "origin";

    /// <summary>The token's request rate was spent.</summary>
    public const string Rate = "rate";

    /// <summary>The token's daily message quota was spent, or the recipients could not be counted against it.</summary>
    public const string DailyQuota = "daily-quota";

    /// <summary>Every concurrency slot of the real key stayed busy for the queue's timeout.</summary>
    public const string KeyBusy = "key-busy";

    /// <summary>The client went away before it was answered.</summary>
    public const string ClientAborted = "client-aborted";

    /// <summary>A failure no step expected (answered 500).</summary>
    public const string Internal = "internal";

    /// <summary>The prefix of a forwarding failure's rule, followed by YARP's error in lower case (<c>upstream-request</c>).</summary>
    public const string UpstreamPrefix = "upstream-";

    /// <summary>The name a policy refusal is recorded under.</summary>
    public static string Of(DecisionRule rule) => rule switch
    {
        DecisionRule.Allowed => Allow,
        DecisionRule.Expired => "expired",
        DecisionRule.NotYetValid => "not-before",
        DecisionRule.ClientAddress => "cidr",
        DecisionRule.Origin => "origin",
        DecisionRule.ReadOnly => "read-only",
        DecisionRule.Path => "path",
        DecisionRule.Method => "method",
        DecisionRule.FromDomain => "from-domain",
        DecisionRule.MaxRecipients => "max-recipients",
        DecisionRule.SendBodyUnreadable => "send-body",
        DecisionRule.Api => "api",
        _ => rule.ToString().ToLowerInvariant(),
    };
}
