using System.Collections.Frozen;
using Keywarden.Core.Keys;
using Keywarden.Core.Requests;

namespace Keywarden.Core.Policy;

/// <summary>
/// A <see cref="TokenPolicy"/> parsed once for evaluation on every request. Immutable and thread-safe; evaluating an
/// allowed request allocates nothing.
/// </summary>
/// <remarks>
/// <para>Default deny. Rules run in this order and the first that fails decides:</para>
/// <list type="number">
/// <item><see cref="DecisionRule.Expired"/> (<c>Now &gt;= ExpiresAt</c>), then <see cref="DecisionRule.NotYetValid"/> (<c>Now &lt; NotBefore</c>).</item>
/// <item><see cref="DecisionRule.ClientAddress"/>: with networks, the client (IPv4-mapped IPv6 read as IPv4) must be in one.</item>
/// <item><see cref="DecisionRule.Origin"/>: no <c>Origin</c> passes; any <c>Origin</c> must equal an allowed one
/// (scheme, host case-insensitively, port; default ports equal to none). An <c>Origin</c> that is not an http(s) origin, <c>null</c> included, never matches.</item>
/// <item><see cref="DecisionRule.Api"/>: a policy compiled for one API refuses the other; without that pin, a policy with
/// methods or send limits refuses Marketing and one with paths refuses Transactional.</item>
/// <item>For each operation (each batch operation, in order, with its index in the reason; otherwise the request's own):
/// <see cref="DecisionRule.ReadOnly"/> (Marketing: GET and HEAD only; Transactional: <see cref="TransactionalMethods.IsReadOnly"/>),
/// then <see cref="DecisionRule.Path"/> (Marketing, any glob of <see cref="TokenPolicy.Paths"/>; empty: all) or
/// <see cref="DecisionRule.Method"/> (Transactional, <c>group/method</c> or <c>group/*</c>; empty: all),
/// then for Transactional sending methods when the policy has from-domains or a recipient limit:
/// <see cref="DecisionRule.SendBodyUnreadable"/> (no <see cref="RequestFacts.Send"/>), <see cref="DecisionRule.FromDomain"/>
/// (every <c>@domain</c> in every sender value exactly in <see cref="TokenPolicy.FromDomains"/>, case-insensitive, subdomains
/// not included; no stated sender, e.g. a template default or a <c>send-raw</c> without <c>from_email</c>, is refused because
/// the sender would come from data the gateway does not read), <see cref="DecisionRule.MaxRecipients"/>
/// (stated recipients at most <see cref="TokenPolicy.MaxRecipients"/>; a <c>send-raw</c> without <c>to</c> is refused).</item>
/// </list>
/// <para>A batch request (<c>POST /batches</c>) is judged by its operations only, so a read-only token may submit a
/// batch of GETs; a batch with no operations, or whose operations still hold <c>POST /batches</c> (the gateway forgot
/// <see cref="RequestCanonicalizer.CanonicalizeBatch"/>), is refused. Rate limit and daily quota are the gateway's
/// counters, not rules here.</para>
/// </remarks>
public sealed class CompiledPolicy
{
    private readonly string[] _paths;
    private readonly MethodPattern[] _methods;
    private readonly ClientNetworks _networks;
    private readonly FrozenSet<string> _origins;
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _fromDomains;
    private readonly int _fromDomainCount;

    private CompiledPolicy(TokenPolicy policy, UpstreamKind? api)
    {
        Policy = policy;
        Api = api;
        _paths = [.. policy.Paths];
        _methods = [.. policy.Methods.Select(MethodPattern.Parse)];
        _networks = ClientNetworks.Parse(policy.Cidrs);
        _origins = policy.Origins.Select(OriginRules.Normalize).OfType<string>().ToFrozenSet(StringComparer.Ordinal);
        var domains = policy.FromDomains.Select(d => d.Trim()).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        _fromDomains = domains.GetAlternateLookup<ReadOnlySpan<char>>();
        _fromDomainCount = policy.FromDomains.Count;
    }

    /// <summary>The policy this was compiled from (the gateway reads <see cref="TokenPolicy.Rate"/> and <see cref="TokenPolicy.DailyQuota"/> from it).</summary>
    public TokenPolicy Policy { get; }

    /// <summary>The API the policy is pinned to, or null when compiled without one.</summary>
    public UpstreamKind? Api { get; }

    private bool HasSendLimits => _fromDomainCount > 0 || Policy.MaxRecipients is not null;

    /// <summary>Compiles a policy without pinning its API (then a policy that names neither paths, methods nor send limits fits both).</summary>
    public static CompiledPolicy Compile(TokenPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return new CompiledPolicy(policy, null);
    }

    /// <summary>Compiles a policy for a token whose upstream is <paramref name="api"/>: requests to the other API are refused. Preferred.</summary>
    public static CompiledPolicy Compile(TokenPolicy policy, UpstreamKind api)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return new CompiledPolicy(policy, api);
    }

    /// <summary>
    /// True when judging <paramref name="request"/> needs <see cref="RequestFacts.Send"/>: a Transactional sending method
    /// under a policy with from-domains or a recipient limit. Otherwise the gateway need not read the body for policy.
    /// </summary>
    public bool RequiresSendFacts(CanonicalRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Api == UpstreamKind.Transactional && HasSendLimits && MandrillSendInspector.IsSendMethod(request.Operation.Path);
    }

    /// <summary>Judges one request; see the type's remarks for the rules and their order.</summary>
    public PolicyDecision Evaluate(RequestFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var request = facts.Request;
        if (Policy.ExpiresAt is { } expires && facts.Now >= expires)
        {
            return PolicyDecision.Deny(DecisionRule.Expired, $"the token expired at {expires:O}");
        }

        if (Policy.NotBefore is { } notBefore && facts.Now < notBefore)
        {
            return PolicyDecision.Deny(DecisionRule.NotYetValid, $"the token is not valid before {notBefore:O}");
        }

        if (!_networks.Contains(facts.Client))
        {
            return PolicyDecision.Deny(DecisionRule.ClientAddress, $"client address {facts.Client} is not in the token's allowed networks");
        }

        if (facts.Origin is { } origin && !IsAllowedOrigin(origin))
        {
            return PolicyDecision.Deny(
                DecisionRule.Origin,
                _origins.Count == 0
                    ? "browser requests (with an Origin header) are refused: the token allows no origin"
                    : "the request's Origin is not in the token's allowed origins");
        }

        if (CheckApi(request.Api) is { } wrongApi)
        {
            return wrongApi;
        }

        if (request.IsBatch)
        {
            if (facts.Operations.Count == 0)
            {
                return PolicyDecision.Deny(DecisionRule.Path, "the batch has no operation to judge");
            }

            for (var i = 0; i < facts.Operations.Count; i++)
            {
                if (CheckOperation(request.Api, facts.Operations[i], facts.Send, i) is { } denied)
                {
                    return denied;
                }
            }

            return PolicyDecision.Allow;
        }

        if (CheckOperation(request.Api, request.Operation, facts.Send, null) is { } deniedOwn)
        {
            return deniedOwn;
        }

        for (var i = 0; i < facts.Operations.Count; i++)
        {
            var operation = facts.Operations[i];
            if (!ReferenceEquals(operation, request.Operation)
                && CheckOperation(request.Api, operation, facts.Send, null) is { } deniedOther)
            {
                return deniedOther;
            }
        }

        return PolicyDecision.Allow;
    }

    private PolicyDecision? CheckApi(UpstreamKind requested)
    {
        var mismatch = Api is { } pinned
            ? pinned != requested
            : requested == UpstreamKind.Marketing
                ? _methods.Length > 0 || HasSendLimits || Policy.DailyQuota is not null
                : _paths.Length > 0;
        return mismatch
            ? PolicyDecision.Deny(DecisionRule.Api, $"the token is not for the {(requested == UpstreamKind.Marketing ? "Marketing" : "Transactional")} API")
            : null;
    }

    private PolicyDecision? CheckOperation(UpstreamKind api, CanonicalOperation operation, SendFacts? send, int? index) =>
        api == UpstreamKind.Marketing ? CheckMarketing(operation, index) : CheckTransactional(operation, send);

    private PolicyDecision? CheckMarketing(CanonicalOperation operation, int? index)
    {
        if (index is not null && operation.Method == "POST" && operation.Path.Equals("/batches", StringComparison.OrdinalIgnoreCase))
        {
            return PolicyDecision.Deny(DecisionRule.Path, $"{Prefix(index)}a batch must be judged by its operations, not as POST /batches");
        }

        if (Policy.ReadOnly && operation.Method is not ("GET" or "HEAD"))
        {
            return PolicyDecision.Deny(DecisionRule.ReadOnly, $"{Prefix(index)}{operation.Method} {operation.Path} writes; the token is read-only");
        }

        if (_paths.Length == 0)
        {
            return null;
        }

        foreach (var glob in _paths)
        {
            if (PathGlob.IsMatch(glob, operation.Path))
            {
                return null;
            }
        }

        return PolicyDecision.Deny(DecisionRule.Path, $"{Prefix(index)}path {operation.Path} is not in the token's allowed paths");
    }

    private PolicyDecision? CheckTransactional(CanonicalOperation operation, SendFacts? send)
    {
        var method = operation.Path;
        if (Policy.ReadOnly && !TransactionalMethods.IsReadOnly(method))
        {
            return PolicyDecision.Deny(DecisionRule.ReadOnly, $"{method} is not a read-only method; the token is read-only");
        }

        if (_methods.Length > 0 && !MatchesAnyMethod(method))
        {
            return PolicyDecision.Deny(DecisionRule.Method, $"method {method} is not in the token's allowed methods");
        }

        if (!HasSendLimits || !MandrillSendInspector.IsSendMethod(method))
        {
            return null;
        }

        if (send is null)
        {
            return PolicyDecision.Deny(DecisionRule.SendBodyUnreadable, $"the body of {method} could not be read to check the send limits");
        }

        if (_fromDomainCount > 0)
        {
            if (send.FromAddresses.Count == 0)
            {
                return PolicyDecision.Deny(
                    DecisionRule.FromDomain,
                    method == "messages/send-raw"
                        ? "send-raw without from_email: the sender would come from the raw message's From header; state from_email"
                        : "the message states no from_email: the sender would come from a template default; state from_email");
            }

            foreach (var address in send.FromAddresses)
            {
                if (SenderDomains.FirstDisallowed(address, _fromDomains) is { } domain)
                {
                    return PolicyDecision.Deny(
                        DecisionRule.FromDomain,
                        domain.Length == 0
                            ? "a sender value names no domain"
                            : $"sender domain {domain} is not in the token's allowed from-domains");
                }
            }
        }

        if (Policy.MaxRecipients is { } max)
        {
            if (!send.RecipientsStated)
            {
                return PolicyDecision.Deny(
                    DecisionRule.MaxRecipients,
                    "send-raw without \"to\": recipients would come from the raw message's headers; state \"to\"");
            }

            if (send.Recipients > max)
            {
                return PolicyDecision.Deny(DecisionRule.MaxRecipients, $"the message has {send.Recipients} recipients; the token allows at most {max}");
            }
        }

        return null;
    }

    private bool MatchesAnyMethod(string method)
    {
        foreach (var pattern in _methods)
        {
            if (pattern.IsMatch(method))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when the policy lists <paramref name="origin"/> (the request's <c>Origin</c> header, compared as
    /// <see cref="Evaluate"/> does): the gateway then lets that origin read its answers, refusals included.
    /// </summary>
    public bool AllowsOrigin(string origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        return IsAllowedOrigin(origin);
    }

    private bool IsAllowedOrigin(string origin) =>
        _origins.Count > 0 && (_origins.Contains(origin) || (OriginRules.Normalize(origin) is { } normalized && _origins.Contains(normalized)));

    private static string Prefix(int? index) => index is { } i ? $"operation {i}: " : "";

    /// <summary>A Transactional method entry: <c>group/method</c> or <c>group/*</c>.</summary>
    private readonly record struct MethodPattern(string Group, string? Method)
    {
        public static MethodPattern Parse(string text)
        {
            var trimmed = text.Trim().ToLowerInvariant();
            var slash = trimmed.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0)
            {
                return new MethodPattern("\0invalid", "\0invalid"); // matches nothing
            }

            var method = trimmed[(slash + 1)..];
            return new MethodPattern(trimmed[..slash], method == "*" ? null : method);
        }

        public bool IsMatch(string canonical)
        {
            var slash = canonical.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0 || !canonical.AsSpan(0, slash).Equals(Group, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            return Method is null || canonical.AsSpan(slash + 1).Equals(Method, StringComparison.OrdinalIgnoreCase);
        }
    }
}
