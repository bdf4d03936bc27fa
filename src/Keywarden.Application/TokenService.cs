using Keywarden.Core.Audit;
using Keywarden.Core.Keys;
using Keywarden.Core.Policy;
using Keywarden.Core.Tokens;
using Keywarden.Storage;

namespace Keywarden.Application;

/// <summary>Issues, lists and revokes gateway tokens, and checks a policy fits its upstream.</summary>
public sealed class TokenService
{
    private readonly IKeywardenStore _store;
    private readonly TimeProvider _time;
    private readonly string _actor;

    public TokenService(IKeywardenStore store, TimeProvider time)
        : this(store, time, AdminAudit.DefaultActor)
    {
    }

    /// <param name="store">The store.</param>
    /// <param name="time">The clock.</param>
    /// <param name="actor">Who acts, as recorded in the audit log (the OS user, or <c>admin-api</c>).</param>
    public TokenService(IKeywardenStore store, TimeProvider time, string actor)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        _store = store;
        _time = time;
        _actor = actor;
    }

    /// <summary>Issues a new token for an upstream. The token's secret is returned once and never stored.</summary>
    public async Task<IssuedToken> IssueAsync(string upstreamName, string name, TokenPolicy policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
        {
            throw new VaultException(VaultErrorCode.TokenNameInvalid);
        }

        var upstream = await _store.FindUpstreamAsync(upstreamName, cancellationToken)
            ?? throw new VaultException(VaultErrorCode.UpstreamNotFound, upstreamName);
        Validate(policy, upstream.Kind, _time.GetUtcNow());

        var token = GatewayToken.Generate();
        var record = new TokenRecord(AccessorId.New(), name.Trim(), upstream.Id, token.ComputeHash(), policy, _time.GetUtcNow(), null);
        await _store.AddTokenAsync(
            record,
            AuditEntry.ForAdmin(record.CreatedAt, _actor, "token.issue", record.Id, $"token '{record.Name}' for upstream '{upstream.Name}'")
                with { TokenId = record.Id, UpstreamId = upstream.Id },
            cancellationToken);
        return new IssuedToken(token, record, upstream.Name);
    }

    /// <summary>All tokens, newest first, with their state now.</summary>
    public async Task<IReadOnlyList<TokenView>> ListAsync(CancellationToken cancellationToken = default)
    {
        var names = (await _store.ListUpstreamsAsync(cancellationToken)).ToDictionary(u => u.Id, u => u.Name);
        var now = _time.GetUtcNow();
        return (await _store.ListTokensAsync(cancellationToken))
            .Select(t => new TokenView(t, names.GetValueOrDefault(t.UpstreamId, "(removed)"), StateOf(t, now)))
            .ToList();
    }

    /// <summary>Revokes a token by accessor id. Idempotent.</summary>
    public async Task RevokeAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!AccessorId.IsValid(id))
        {
            throw new VaultException(VaultErrorCode.NotATokenId);
        }

        var now = _time.GetUtcNow();
        if (!await _store.RevokeTokenAsync(id, now, AuditEntry.ForAdmin(now, _actor, "token.revoke", id) with { TokenId = id }, cancellationToken))
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
    /// <exception cref="VaultException">No such token, or it is revoked, expired or already rotated.</exception>
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
        var successor = new TokenRecord(AccessorId.New(), old.Name, old.UpstreamId, token.ComputeHash(), policy, now, null);
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
        token.RevokedAt is not null ? "revoked"
        : token.Policy.ExpiresAt is { } expires && expires <= now ? "expired"
        : token.Policy.NotBefore is { } start && start > now ? "pending"
        : token.SupersededBy is not null ? "grace"
        : "active";
}
