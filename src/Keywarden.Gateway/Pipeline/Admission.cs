using System.Net;
using Keywarden.Core.Policy;
using Keywarden.Core.Tokens;
using Keywarden.Gateway.Errors;
using Keywarden.Gateway.Limits;
using Keywarden.Gateway.Observability;
using Keywarden.Gateway.Outcomes;
using Keywarden.Gateway.Tokens;
using Microsoft.Extensions.Logging;

namespace Keywarden.Gateway.Pipeline;

/// <summary>
/// Who may go on: the client address (not blocked after a decoy use), the token presented (live, not a decoy, not
/// suspended, of this API, not rotated past its grace), then its policy, rate limit and daily quota. Judged first, counted
/// last: a request the policy refuses spends nothing, and what was counted is given back when the request is refused
/// before Mailchimp could act on it.
/// </summary>
public sealed class Admission
{
    // The last from-domain this thread recorded: a sending application repeats its sender, and a substring allocates.
    [ThreadStatic]
    private static string? t_lastFromDomain;
    /// <summary>What the client of a suspended token is told: why it stopped working, without the CLI's words.</summary>
    internal const string HeldDetail = "this token is suspended by Keywarden (anomaly); an operator can resume it";

    private readonly TokenCache _tokens;
    private readonly TokenRateLimiter _limiter;
    private readonly AddressBlocklist _blocked;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LogThrottle _decoyLog;

    internal Admission(TokenCache tokens, TokenRateLimiter limiter, AddressBlocklist blocked, TimeProvider time, ILogger<Admission> logger)
    {
        _tokens = tokens;
        _limiter = limiter;
        _blocked = blocked;
        _time = time;
        _logger = logger;
        _decoyLog = new LogThrottle(time, TimeSpan.FromSeconds(1));
    }

    /// <summary>The gateway's clock, for the policy's expiry and not-before.</summary>
    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>Puts the id of a token sent where it leaks (a URL) on record, live or dead; nothing for one nobody issued.</summary>
    public void Identify(string token, RequestOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (_tokens.TryFind(token, out var known, out var retired))
        {
            outcome.TokenId = known?.TokenId ?? retired!.TokenId;
        }
    }

    /// <summary>
    /// The live token presented for this API, or false with the refusal that says why not. A token that exists but cannot be
    /// used (revoked, a decoy, rotated past its grace, or of the other API) is answered as Mailchimp answers an invalid key,
    /// never "forbidden" or "expired", but its record names it; a suspended one is forbidden, saying it is suspended. A
    /// decoy blocks the client's address (<see cref="GatewayOptions.DecoyBlock"/>), and every token from a blocked address is
    /// refused as an invalid key. The clock is read only for a rotated token and while some address is blocked.
    /// </summary>
    public bool Authenticate(string presented, RequestOutcome outcome, out TokenEntry entry, out GatewayToken token, out Refusal refusal)
    {
        entry = null!;
        if (!GatewayToken.TryParsePresented(presented, out token!))
        {
            refusal = InvalidKey(RuleNames.Credential);
            return false;
        }

        ArgumentNullException.ThrowIfNull(outcome);
        var blocked = _blocked.IsBlocked(outcome.Client);
        if (!_tokens.TryFind(token.Value, out var found, out var retired))
        {
            refusal = InvalidKey(blocked ? RuleNames.AddressBlocked : RuleNames.TokenUnknown);
            return false;
        }

        if (retired is not null)
        {
            outcome.TokenId = retired.TokenId;
            outcome.UpstreamId = retired.UpstreamId;
            refusal = retired.Rule switch
            {
                // Answered exactly as a revoked token: nothing tells the client it found a tripwire.
                RuleNames.Decoy => Caught(retired, outcome.Client),
                _ when blocked => InvalidKey(RuleNames.AddressBlocked),
                RuleNames.TokenHeld => new Refusal(GatewayRejection.Forbidden, RuleNames.TokenHeld, HeldDetail),
                _ => InvalidKey(retired.Rule),
            };
            return false;
        }

        outcome.TokenId = found!.TokenId;
        outcome.UpstreamId = found.Target.UpstreamId;
        if (blocked)
        {
            refusal = InvalidKey(RuleNames.AddressBlocked);
            return false;
        }

        if (found.Target.Kind != outcome.Api)
        {
            refusal = InvalidKey(RuleNames.TokenWrongApi);
            return false;
        }

        if (found.Superseded && found.IsRetiredAt(_time.GetUtcNow()))
        {
            refusal = InvalidKey(RuleNames.TokenRotated);
            return false;
        }

        outcome.KeyId = found.Target.KeyId;
        entry = found;
        refusal = default;
        return true;
    }

    /// <summary>
    /// Remembers what a Transactional send's body states, for the audit and the monitor (<see cref="RequestOutcome.Recipients"/>,
    /// <see cref="RequestOutcome.FromDomain"/>): from the facts the flow already read for its policy, never a second read
    /// of the body. Called before the send is judged, so a refused send carries them too.
    /// </summary>
    public static void NoteSend(RequestOutcome outcome, SendFacts send)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(send);
        outcome.Recipients = send.RecipientsStated ? send.Recipients : null;
        outcome.FromDomain = send.FromAddresses.Count > 0 ? FromDomain(send.FromAddresses[0]) : null; // the first is from_email
    }

    private static string FromDomain(string address)
    {
        var at = address.LastIndexOf('@');
        var domain = at < 0 ? [] : address.AsSpan(at + 1);
        if (t_lastFromDomain is { } last && domain.SequenceEqual(last))
        {
            return last;
        }

        return t_lastFromDomain = domain.ToString();
    }

    private static Refusal InvalidKey(string rule) => new(GatewayRejection.InvalidCredential, rule, null);

    /// <summary>
    /// A decoy used: the address blocked (or the block extended), the use logged (a line a second at most: every use is in
    /// the audit log); refused as a revoked token is.
    /// </summary>
    private Refusal Caught(RetiredToken decoy, IPAddress client)
    {
        var until = _blocked.Block(client);
        if (_decoyLog.TryEnter(out var held))
        {
            if (until is { } end)
            {
                Log.DecoyUsed(_logger, decoy.TokenId, client.ToString(), end, held);
            }
            else
            {
                Log.DecoyUsedNoBlock(_logger, decoy.TokenId, client.ToString(), held);
            }
        }

        return InvalidKey(RuleNames.Decoy);
    }

    /// <summary>Remembers a browser origin the token allows, so every answer to the request, refusals included, lets it read.</summary>
    public static void NoteAllowedOrigin(RequestOutcome outcome, TokenEntry entry, string? origin)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(entry);
        if (origin is { Length: > 0 } && entry.Compiled.AllowsOrigin(origin))
        {
            outcome.AllowedOrigin = origin;
        }
    }

    /// <summary>Policy, rate limit and daily quota: why the request may not go on, or null when it may.</summary>
    public Refusal? Admit(RequestOutcome outcome, TokenEntry entry, PolicyDecision decision, int messages)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(entry);
        if (!decision.Allowed)
        {
            return new Refusal(GatewayRejection.Forbidden, RuleNames.Of(decision.Rule), decision.Reason);
        }

        if (entry.Policy.Rate is { } rate)
        {
            if (!_limiter.TryAcquire(entry.TokenId, rate, out var retryAfter, out var window))
            {
                return new Refusal(GatewayRejection.RateLimited, RuleNames.Rate, null, retryAfter);
            }

            outcome.RateWindow = window;
        }

        if (messages > 0 && entry.Policy.DailyQuota is { } quota)
        {
            if (!_limiter.TryConsumeDaily(entry.TokenId, quota, messages, out var untilTomorrow, out var day))
            {
                GiveBack(outcome, entry);
                return new Refusal(GatewayRejection.QuotaExceeded, RuleNames.DailyQuota, null, untilTomorrow);
            }

            outcome.QuotaDay = day;
            outcome.QuotaMessages = messages;
        }

        outcome.Rule = RuleNames.Allow;
        return null;
    }

    /// <summary>
    /// Gives back what <see cref="Admit"/> counted, for a request refused before Mailchimp could act on it (a busy key,
    /// a body refused on its way). Not for an upstream failure: the request may have reached Mailchimp.
    /// </summary>
    public void GiveBack(RequestOutcome outcome, TokenEntry entry)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(entry);
        if (outcome.RateWindow >= 0)
        {
            _limiter.Release(entry.TokenId, outcome.RateWindow);
            outcome.RateWindow = -1;
        }

        if (outcome.QuotaDay >= 0)
        {
            _limiter.ReleaseDaily(entry.TokenId, outcome.QuotaMessages, outcome.QuotaDay);
            outcome.QuotaDay = -1;
        }
    }
}
