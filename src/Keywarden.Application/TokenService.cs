using Keywarden.Core.Keys;
using Keywarden.Core.Monitoring;
using Keywarden.Core.Policy;
using Keywarden.Core.Tokens;
using Keywarden.Storage;

namespace Keywarden.Application;

/// <summary>Issues, lists, revokes, rotates, suspends and resumes gateway tokens, issues decoys, and checks a policy fits its upstream.</summary>
public sealed class TokenService
{
    /// <summary>The longest reason a suspension may carry, in characters.</summary>
    public const int MaxReasonLength = 500;

    private readonly IKeywardenStore _store;
    private readonly TimeProvider _time;
    private readonly AdminActor _actor;

    public TokenService(IKeywardenStore store, TimeProvider time)
        : this(store, time, AdminAudit.DefaultActor)
    {
    }

    /// <param name="store">The store.</param>
    /// <param name="time">The clock.</param>
    /// <param name="actor">Who acts, as recorded in the audit log (the OS user, or <c>admin-api</c>).</param>
    public TokenService(IKeywardenStore store, TimeProvider time, string actor)
        : this(store, time, new AdminActor(actor, null))
    {
    }

    /// <summary>The service acting for <paramref name="actor"/>: its name and client address go in every audit record it writes.</summary>
    public TokenService(IKeywardenStore store, TimeProvider time, AdminActor actor)
    {
        _store = store;
        _time = time;
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor.Name);
        _actor = actor;
    }

    /// <summary>Issues a new token for an upstream. The token's secret is returned once and never stored.</summary>
    public Task<IssuedToken> IssueAsync(string upstreamName, string name, TokenPolicy policy, CancellationToken cancellationToken = default) =>
        IssueAsync(upstreamName, name, policy, onAnomaly: null, cancellationToken);

    /// <summary>
    /// Issues a new token for an upstream, with what an anomaly alert about it does (null: the server's default). The
    /// token's secret is returned once and never stored.
    /// </summary>
    public async Task<IssuedToken> IssueAsync(
        string upstreamName, string name, TokenPolicy policy, AnomalyResponse? onAnomaly, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var upstream = await FindUpstreamForIssueAsync(upstreamName, name, cancellationToken);
        Validate(policy, upstream.Kind, _time.GetUtcNow());

        var token = GatewayToken.Generate();
        var record = new TokenRecord(AccessorId.New(), name.Trim(), upstream.Id, token.ComputeHash(), policy, _time.GetUtcNow(), null)
        {
            OnAnomaly = onAnomaly,
        };
        await _store.AddTokenAsync(
            record,
            AdminAudit.Entry(record.CreatedAt, _actor, "token.issue", record.Id, $"token '{record.Name}' for upstream '{upstream.Name}'")
                with { TokenId = record.Id, UpstreamId = upstream.Id },
            cancellationToken);
        return new IssuedToken(token, record, upstream.Name);
    }

    /// <summary>
    /// Issues a decoy: a token in exactly the format of a real one (<see cref="GatewayToken"/>: prefix, length, checksum),
    /// stored hashed like one, to plant where an attacker looks (CI variables, <c>.env</c> files, wikis). It is never used
    /// by anyone legitimate: the gateway answers it as a revoked token, never forwards it, and audits its use under rule
    /// <c>decoy</c>. Its policy allows nothing (it expires at issue, read-only), should anything ever judge it. The
    /// secret is returned once and never stored.
    /// </summary>
    /// <param name="upstreamName">The upstream it pretends to be for (an attacker cannot tell).</param>
    /// <param name="name">A label for whoever reads the audit log, e.g. where it is planted.</param>
    /// <param name="cancellationToken">Stops the issue.</param>
    public async Task<IssuedToken> IssueDecoyAsync(string upstreamName, string name, CancellationToken cancellationToken = default)
    {
        var upstream = await FindUpstreamForIssueAsync(upstreamName, name, cancellationToken);
        var now = _time.GetUtcNow();
        var token = GatewayToken.Generate();
        var record = new TokenRecord(AccessorId.New(), name.Trim(), upstream.Id, token.ComputeHash(), DecoyPolicy(now), now, null) { Decoy = true };
        await _store.AddTokenAsync(
            record,
            AdminAudit.Entry(now, _actor, "token.decoy", record.Id, $"decoy '{record.Name}' for upstream '{upstream.Name}'")
                with { TokenId = record.Id, UpstreamId = upstream.Id },
            cancellationToken);
        return new IssuedToken(token, record, upstream.Name);
    }

    /// <summary>The policy of a decoy: nothing allowed, twice over (expired from its issue, and read-only).</summary>
    internal static TokenPolicy DecoyPolicy(DateTimeOffset issuedAt) => new() { ReadOnly = true, ExpiresAt = issuedAt };

    /// <summary>One token by id, with its state now.</summary>
    /// <exception cref="VaultException">Not a token id, or no such token.</exception>
    public async Task<TokenView> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!AccessorId.IsValid(id))
        {
            throw new VaultException(VaultErrorCode.NotATokenId);
        }

        var record = await _store.FindTokenAsync(id, cancellationToken) ?? throw new VaultException(VaultErrorCode.TokenNotFound, id);
        return await ViewAsync(record, cancellationToken);
    }

    /// <summary>
    /// Suspends a token: the gateway refuses it (as fast as a revocation) until <see cref="ResumeAsync"/>. The anomaly
    /// monitor calls this with the alert as <paramref name="reason"/>, an operator with a note. Suspending a suspended token
    /// changes nothing (the first suspension stands: <see cref="SuspensionChange.Changed"/> is false).
    /// </summary>
    /// <param name="id">The token's accessor id.</param>
    /// <param name="reason">Why, e.g. <c>alert al_… (volume): 412 requests in an hour, expected at most 60</c>; never a secret.</param>
    /// <param name="actor">Who suspends, as recorded in the audit log; null for this service's actor.</param>
    /// <param name="cancellationToken">Stops the change.</param>
    /// <exception cref="VaultException">Not a token id, no such token, a reason that is empty or too long, or the token is revoked or a decoy.</exception>
    public async Task<SuspensionChange> SuspendAsync(string id, string reason, string? actor = null, CancellationToken cancellationToken = default)
    {
        if (!AccessorId.IsValid(id))
        {
            throw new VaultException(VaultErrorCode.NotATokenId);
        }

        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > MaxReasonLength)
        {
            throw new VaultException(VaultErrorCode.SuspensionReasonInvalid);
        }

        reason = reason.Trim();
        var now = _time.GetUtcNow();
        bool changed;
        try
        {
            changed = await _store.SuspendTokenAsync(
                id, now, reason, AdminAudit.Entry(now, actor is null ? _actor : _actor with { Name = actor }, "token.suspend", id, reason) with { TokenId = id }, cancellationToken);
        }
        catch (StorageException e) when (e.Error is StorageError.NotFound)
        {
            throw new VaultException(VaultErrorCode.TokenNotFound, id, innerException: e);
        }
        catch (StorageException e) when (e.Error is StorageError.Conflict)
        {
            throw new VaultException(VaultErrorCode.TokenNotSuspendable, id, e.Message, e);
        }

        return new SuspensionChange(await FindAsync(id, cancellationToken), changed);
    }

    /// <summary>
    /// Lifts a token's suspension: the gateway serves it again from its next reload. Resuming a token that is not
    /// suspended changes nothing (<see cref="SuspensionChange.Changed"/> is false).
    /// </summary>
    /// <param name="id">The token's accessor id.</param>
    /// <param name="actor">Who resumes, as recorded in the audit log; null for this service's actor.</param>
    /// <param name="cancellationToken">Stops the change.</param>
    /// <exception cref="VaultException">Not a token id, or no such token.</exception>
    public async Task<SuspensionChange> ResumeAsync(string id, string? actor = null, CancellationToken cancellationToken = default)
    {
        if (!AccessorId.IsValid(id))
        {
            throw new VaultException(VaultErrorCode.NotATokenId);
        }

        var held = await _store.FindTokenAsync(id, cancellationToken) ?? throw new VaultException(VaultErrorCode.TokenNotFound, id);
        var now = _time.GetUtcNow();
        var detail = held.Suspension is { } suspension ? $"suspended since {suspension.At:u}: {suspension.Reason}" : null;
        bool changed;
        try
        {
            changed = await _store.ResumeTokenAsync(id, AdminAudit.Entry(now, actor is null ? _actor : _actor with { Name = actor }, "token.resume", id, detail) with { TokenId = id }, cancellationToken);
        }
        catch (StorageException e) when (e.Error is StorageError.NotFound)
        {
            throw new VaultException(VaultErrorCode.TokenNotFound, id, innerException: e);
        }

        return new SuspensionChange(await FindAsync(id, cancellationToken), changed);
    }

    /// <summary>
    /// Sets what a warning or critical anomaly alert about a token does: <see cref="AnomalyResponse.Suspend"/> it,
    /// <see cref="AnomalyResponse.Alert"/> only, or null for the server's default. Audited (<c>token.on-anomaly</c>) when it
    /// changes; the same setting again changes nothing (<see cref="SuspensionChange.Changed"/> false).
    /// </summary>
    /// <exception cref="VaultException">Not a token id, no such token, or a decoy (<see cref="VaultErrorCode.TokenNotSuspendable"/>).</exception>
    public async Task<SuspensionChange> SetOnAnomalyAsync(string id, AnomalyResponse? response, CancellationToken cancellationToken = default)
    {
        if (!AccessorId.IsValid(id))
        {
            throw new VaultException(VaultErrorCode.NotATokenId);
        }

        var now = _time.GetUtcNow();
        var word = response switch { AnomalyResponse.Suspend => "suspend", AnomalyResponse.Alert => "alert", _ => "the server's default" };
        bool changed;
        try
        {
            changed = await _store.SetOnAnomalyAsync(
                id, response, AdminAudit.Entry(now, _actor, "token.on-anomaly", id, $"on anomaly: {word}") with { TokenId = id }, cancellationToken);
        }
        catch (StorageException e) when (e.Error is StorageError.NotFound)
        {
            throw new VaultException(VaultErrorCode.TokenNotFound, id, innerException: e);
        }
        catch (StorageException e) when (e.Error is StorageError.Conflict)
        {
            throw new VaultException(VaultErrorCode.TokenNotSuspendable, id, e.Message, e);
        }

        return new SuspensionChange(await FindAsync(id, cancellationToken), changed);
    }

    /// <exception cref="VaultException">A name that is empty or too long, or no such upstream.</exception>
    private async Task<UpstreamRecord> FindUpstreamForIssueAsync(string upstreamName, string name, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
        {
            throw new VaultException(VaultErrorCode.TokenNameInvalid);
        }

        return await _store.FindUpstreamAsync(upstreamName, cancellationToken)
            ?? throw new VaultException(VaultErrorCode.UpstreamNotFound, upstreamName);
    }

    private async Task<TokenView> ViewAsync(TokenRecord record, CancellationToken cancellationToken) =>
        new(record, (await _store.GetUpstreamAsync(record.UpstreamId, cancellationToken))?.Name ?? "(removed)", StateOf(record, _time.GetUtcNow()));

    /// <summary>All tokens, newest first, with their state now.</summary>
    public async Task<IReadOnlyList<TokenView>> ListAsync(CancellationToken cancellationToken = default) =>
        await ViewsAsync(await _store.ListTokensAsync(cancellationToken), cancellationToken);

    /// <summary>
    /// At most <paramref name="limit"/> tokens, newest first, after the token <paramref name="afterId"/> (a keyset page: the
    /// store reads only the page); null when no token has that id.
    /// </summary>
    public async Task<IReadOnlyList<TokenView>?> ListPageAsync(string? afterId, int limit, CancellationToken cancellationToken = default)
    {
        return await _store.ListTokensPageAsync(afterId, limit, cancellationToken) is { } page ? await ViewsAsync(page, cancellationToken) : null;
    }

    /// <summary>Tokens as listed: each with its upstream's name ("(removed)" when gone) and its state now.</summary>
    private async Task<IReadOnlyList<TokenView>> ViewsAsync(IReadOnlyList<TokenRecord> tokens, CancellationToken cancellationToken)
    {
        var names = (await _store.ListUpstreamsAsync(cancellationToken)).ToDictionary(u => u.Id, u => u.Name);
        var now = _time.GetUtcNow();
        return [.. tokens.Select(t => new TokenView(t, names.GetValueOrDefault(t.UpstreamId, "(removed)"), StateOf(t, now)))];
    }

    /// <summary>Revokes a token by accessor id. Idempotent.</summary>
    public async Task RevokeAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!AccessorId.IsValid(id))
        {
            throw new VaultException(VaultErrorCode.NotATokenId);
        }

        var now = _time.GetUtcNow();
        if (!await _store.RevokeTokenAsync(id, now, AdminAudit.Entry(now, _actor, "token.revoke", id) with { TokenId = id }, cancellationToken))
        {
            throw new VaultException(VaultErrorCode.TokenNotFound, id);
        }
    }

    /// <summary>Revokes the token presented (found by its hash, as the gateway finds it) and returns its id. Idempotent.</summary>
    /// <exception cref="VaultException">No token of this vault is that one.</exception>
    public async Task<string> RevokeAsync(GatewayToken token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        var record = await _store.FindTokenByHashAsync(token.ComputeHash(), cancellationToken)
            ?? throw new VaultException(VaultErrorCode.TokenNotOfThisVault);
        await RevokeAsync(record.Id, cancellationToken);
        return record.Id;
    }

    /// <summary>
    /// Replaces a token by a successor with the same name, upstream and policy (a new id and secret; an
    /// expiry the same length after now as the old token had after its issue), and lets the old token
    /// work for <paramref name="grace"/> more at most: its expiry becomes the earlier of its own and now +
    /// grace, and a zero grace revokes it at once. Both happen, with the audit record, in one store transaction.
    /// </summary>
    /// <exception cref="VaultException">No such token, or it is revoked, expired, a decoy or already rotated.</exception>
    public async Task<RotatedToken> RotateAsync(string id, TimeSpan grace, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(grace, TimeSpan.Zero);
        if (!AccessorId.IsValid(id))
        {
            throw new VaultException(VaultErrorCode.NotATokenId);
        }

        var old = await _store.FindTokenAsync(id, cancellationToken) ?? throw new VaultException(VaultErrorCode.TokenNotFound, id);
        var now = _time.GetUtcNow();
        var policy = old.Policy with { ExpiresAt = old.Policy.ExpiresAt is { } expires ? now + (expires - old.CreatedAt) : null };
        var token = GatewayToken.Generate();
        var successor = new TokenRecord(AccessorId.New(), old.Name, old.UpstreamId, token.ComputeHash(), policy, now, null) { OnAnomaly = old.OnAnomaly };
        var upstreamName = (await _store.GetUpstreamAsync(old.UpstreamId, cancellationToken))?.Name ?? "(removed)";
        TokenRecord retired;
        try
        {
            retired = await _store.RotateTokenAsync(
                id, successor, now + grace, retiring => AdminAudit.TokenRotated(now, _actor, retiring, successor, upstreamName), cancellationToken);
        }
        catch (StorageException e) when (e.Error is StorageError.NotFound)
        {
            throw new VaultException(VaultErrorCode.TokenNotFound, id, innerException: e);
        }
        catch (StorageException e) when (e.Error is StorageError.Conflict)
        {
            throw new VaultException(VaultErrorCode.TokenNotRotatable, id, e.Message, e);
        }

        return new RotatedToken(new IssuedToken(token, successor, upstreamName), retired);
    }

    /// <summary>Checks a policy is coherent and fits the upstream's API (<see cref="TokenPolicyRules"/>); throws with the first problem.</summary>
    public static void Validate(TokenPolicy policy, UpstreamKind kind, DateTimeOffset now)
    {
        if (TokenPolicyRules.Check(policy, kind, now) is { } problem)
        {
            throw new VaultException(problem);
        }
    }

    internal static string StateOf(TokenRecord token, DateTimeOffset now) =>
        token.Decoy ? "decoy"
        : token.RevokedAt is not null ? "revoked"
        : token.Suspension is not null ? "suspended"
        : token.Policy.ExpiresAt is { } expires && expires <= now ? "expired"
        : token.Policy.NotBefore is { } start && start > now ? "pending"
        : token.SupersededBy is not null ? "grace"
        : "active";
}
