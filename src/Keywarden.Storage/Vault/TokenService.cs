using System.Net;
using System.Text.RegularExpressions;
using Keywarden.Core.Audit;
using Keywarden.Core.Keys;
using Keywarden.Core.Policy;
using Keywarden.Core.Tokens;
using Keywarden.Storage.Audit;

namespace Keywarden.Storage.Vault;

/// <summary>Issues, lists and revokes gateway tokens, and checks a policy fits its upstream.</summary>
public sealed partial class TokenService
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
            throw new VaultException("a token needs a --name of 1 to 100 characters saying what it is for");
        }

        var upstream = await _store.FindUpstreamAsync(upstreamName, cancellationToken)
            ?? throw new VaultException($"no upstream named '{upstreamName}' (see 'keywarden upstream list')");
        Validate(policy, upstream.Kind, _time.GetUtcNow());

        var token = GatewayToken.Generate();
        var record = new TokenRecord(AccessorId.New(), name.Trim(), upstream.Id, token.ComputeHash(), policy, _time.GetUtcNow(), null);
        await _store.AddTokenAsync(record, cancellationToken);
        await AdminAudit.RecordAsync(
            _store,
            AuditEntry.ForAdmin(record.CreatedAt, _actor, "token.issue", record.Id, $"token '{record.Name}' for upstream '{upstream.Name}'")
                with { TokenId = record.Id, UpstreamId = upstream.Id },
            $"token {record.Id} was issued (revoke it with 'keywarden token revoke {record.Id}')",
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
            throw new VaultException("not a token id: ids look like tok_7gq2m0x4k9c1 (see 'keywarden token list')");
        }

        var now = _time.GetUtcNow();
        if (!await _store.RevokeTokenAsync(id, now, cancellationToken))
        {
            throw new VaultException($"no token with id '{id}'");
        }

        await AdminAudit.RecordAsync(
            _store, AuditEntry.ForAdmin(now, _actor, "token.revoke", id) with { TokenId = id }, $"token {id} was revoked", cancellationToken);
    }

    /// <summary>Revokes the token presented (found by its hash, as the gateway finds it) and returns its id. Idempotent.</summary>
    /// <exception cref="VaultException">No token of this vault is that one.</exception>
    public async Task<string> RevokeAsync(GatewayToken token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        var record = await _store.FindTokenByHashAsync(token.ComputeHash(), cancellationToken)
            ?? throw new VaultException("no token of this vault matches the one given (it may belong to another Keywarden, or was never issued)");
        await RevokeAsync(record.Id, cancellationToken);
        return record.Id;
    }

    /// <summary>
    /// Replaces a token by a successor with the same name, upstream and policy (a new id and secret; an
    /// expiry the same length after now as the old token had after its issue), and lets the old token
    /// work for <paramref name="grace"/> more at most: its expiry becomes the earlier of its own and now +
    /// grace, and a zero grace revokes it at once. Both happen in one store transaction.
    /// </summary>
    /// <exception cref="VaultException">No such token, or it is revoked, expired or already rotated.</exception>
    public async Task<RotatedToken> RotateAsync(string id, TimeSpan grace, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(grace, TimeSpan.Zero);
        if (!AccessorId.IsValid(id))
        {
            throw new VaultException("not a token id: ids look like tok_7gq2m0x4k9c1 (see 'keywarden token list')");
        }

        var old = await _store.FindTokenAsync(id, cancellationToken) ?? throw new VaultException($"no token with id '{id}'");
        var now = _time.GetUtcNow();
        var policy = old.Policy with { ExpiresAt = old.Policy.ExpiresAt is { } expires ? now + (expires - old.CreatedAt) : null };
        var token = GatewayToken.Generate();
        var successor = new TokenRecord(AccessorId.New(), old.Name, old.UpstreamId, token.ComputeHash(), policy, now, null);
        TokenRecord retired;
        try
        {
            retired = await _store.RotateTokenAsync(id, successor, now + grace, cancellationToken);
        }
        catch (StorageException e) when (e.Error is StorageError.Conflict or StorageError.NotFound)
        {
            throw new VaultException(e.Message, e);
        }

        var upstreamName = (await _store.GetUpstreamAsync(old.UpstreamId, cancellationToken))?.Name ?? "(removed)";
        await AdminAudit.RecordAsync(
            _store,
            AdminAudit.TokenRotated(now, _actor, retired, successor, upstreamName),
            $"token {id} was rotated into {successor.Id}",
            cancellationToken);
        return new RotatedToken(new IssuedToken(token, successor, upstreamName), retired);
    }

    /// <summary>Checks a policy is coherent and fits the upstream's API; throws with the first problem found.</summary>
    public static void Validate(TokenPolicy policy, UpstreamKind kind, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (kind == UpstreamKind.Transactional && policy.Paths.Count > 0)
        {
            throw new VaultException("--path applies to Marketing upstreams; use --method for Transactional (e.g. --method messages/send)");
        }

        if (kind == UpstreamKind.Marketing && policy.Methods.Count > 0)
        {
            throw new VaultException("--method applies to Transactional upstreams; use --path for Marketing (e.g. --path '/lists/**')");
        }

        if (kind == UpstreamKind.Marketing && (policy.FromDomains.Count > 0 || policy.MaxRecipients is not null || policy.DailyQuota is not null))
        {
            throw new VaultException("--from-domain, --max-recipients and --daily-quota apply to Transactional upstreams");
        }

        foreach (var path in policy.Paths)
        {
            if (!PathGlob().IsMatch(path) || path.Contains("..", StringComparison.Ordinal) || path.Contains("//", StringComparison.Ordinal))
            {
                throw new VaultException($"invalid --path '{path}': a glob on the canonical path after /3.0, starting with '/', e.g. /lists/*/members/**");
            }
        }

        foreach (var method in policy.Methods)
        {
            if (!MethodName().IsMatch(method))
            {
                throw new VaultException($"invalid --method '{method}': group/method in lower case, e.g. messages/send or messages/*");
            }
        }

        foreach (var cidr in policy.Cidrs)
        {
            if (!IPNetwork.TryParse(cidr, out _))
            {
                throw new VaultException($"invalid --cidr '{cidr}': expected a network such as 203.0.113.0/24 or 2001:db8::/32");
            }
        }

        foreach (var origin in policy.Origins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.PathAndQuery != "/")
            {
                throw new VaultException($"invalid --origin '{origin}': expected scheme://host[:port], e.g. https://app.example.org");
            }
        }

        foreach (var domain in policy.FromDomains)
        {
            if (Uri.CheckHostName(domain) != UriHostNameType.Dns)
            {
                throw new VaultException($"invalid --from-domain '{domain}': expected a domain name such as example.org");
            }
        }

        if (policy.MaxRecipients is <= 0)
        {
            throw new VaultException("--max-recipients must be at least 1");
        }

        if (policy.DailyQuota is <= 0)
        {
            throw new VaultException("--daily-quota must be at least 1");
        }

        if (policy.ExpiresAt is { } expires && expires <= now)
        {
            throw new VaultException("--expires is in the past: the token would never work");
        }

        if (policy is { ExpiresAt: { } end, NotBefore: { } start } && start >= end)
        {
            throw new VaultException("--not-before must be earlier than --expires");
        }
    }

    internal static string StateOf(TokenRecord token, DateTimeOffset now) =>
        token.RevokedAt is not null ? "revoked"
        : token.Policy.ExpiresAt is { } expires && expires <= now ? "expired"
        : token.Policy.NotBefore is { } start && start > now ? "pending"
        : token.SupersededBy is not null ? "grace"
        : "active";

    [GeneratedRegex(@"^/([A-Za-z0-9_.\-*{}]+(/[A-Za-z0-9_.\-*{}]+)*)?/?$")]
    private static partial Regex PathGlob();

    [GeneratedRegex(@"^[a-z0-9_\-]+/([a-z0-9_\-]+|\*)$")]
    private static partial Regex MethodName();
}
