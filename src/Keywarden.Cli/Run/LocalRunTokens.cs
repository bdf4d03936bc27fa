using Keywarden.Application;
using Keywarden.Cli.Infrastructure;
using Keywarden.Core.Policy;
using Keywarden.Core.Tokens;

namespace Keywarden.Cli.Run;

/// <summary>
/// The run's token, issued and revoked on the vault of the data directory (the master key from the environment or its
/// file), through <see cref="TokenService"/>: audited like any <c>token issue</c> and <c>token revoke</c>. The vault is
/// opened for each of the two and closed in between, so the master key is not held while the command runs.
/// </summary>
internal sealed class LocalRunTokens : IRunTokens
{
    /// <summary>The longest token name the vault takes.</summary>
    private const int MaxNameLength = 100;

    private readonly VaultFactory _vaults;
    private readonly TimeProvider _time;

    public LocalRunTokens(VaultFactory vaults, TimeProvider time)
    {
        _vaults = vaults;
        _time = time;
    }

    /// <summary>
    /// On an upstream: the whole API, read-write, expiring after the TTL. After a template: its upstream, policy and
    /// anomaly response, with the earlier of its expiry and the TTL's, and no not-before (the template is active now).
    /// </summary>
    public async Task<RunToken> IssueAsync(RunTokenRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var vault = await _vaults.OpenAsync(cancellationToken);
        var until = _time.GetUtcNow() + request.Ttl;
        IssuedToken issued;
        if (request.Template is { } template)
        {
            var source = await FindTemplateAsync(vault.Tokens, template, cancellationToken);
            var policy = source.Record.Policy with
            {
                ExpiresAt = source.Record.Policy.ExpiresAt is { } expires && expires < until ? expires : until,
                NotBefore = null,
            };
            issued = await vault.Tokens.IssueAsync(
                source.UpstreamName, Named($"run: {source.Record.Name}"), policy, source.Record.OnAnomaly, cancellationToken);
        }
        else
        {
            issued = await vault.Tokens.IssueAsync(
                request.Upstream!, Named($"run: {request.Command}"), new TokenPolicy { ExpiresAt = until }, cancellationToken);
        }

        var upstream = await vault.Store.GetUpstreamAsync(issued.Record.UpstreamId, cancellationToken)
            ?? throw new CliException($"upstream '{issued.UpstreamName}' was removed while the token was issued");
        return new RunToken(
            issued.Record.Id, issued.Record.Name, issued.Token, issued.UpstreamName, upstream.Kind, upstream.Datacenter, issued.Record.Policy.ExpiresAt!.Value);
    }

    public async Task RevokeAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var vault = await _vaults.OpenAsync(cancellationToken);
        await vault.Tokens.RevokeAsync(id, cancellationToken);
    }

    /// <summary>The template by id, or the one usable token of that name; a name two usable tokens share is refused.</summary>
    private static async Task<TokenView> FindTemplateAsync(TokenService tokens, string template, CancellationToken cancellationToken)
    {
        TokenView view;
        if (AccessorId.IsValid(template))
        {
            view = await tokens.FindAsync(template, cancellationToken);
        }
        else
        {
            var named = (await tokens.ListAsync(cancellationToken)).Where(t => string.Equals(t.Record.Name, template, StringComparison.Ordinal)).ToList();
            var usable = named.Where(Usable).ToList();
            view = usable.Count switch
            {
                1 => usable[0],
                0 when named.Count > 0 => named[0],
                0 => throw new CliException($"no token is named '{template}' (see 'keywarden token list')"),
                _ => throw new CliException(
                    $"{usable.Count} active tokens are named '{template}': name the template by its id ({string.Join(", ", usable.Select(t => t.Record.Id))})"),
            };
        }

        return Usable(view)
            ? view
            : throw new CliException($"token {view.Record.Id} ('{view.Record.Name}') is {view.State}: only an active token can be the template of a run");
    }

    /// <summary>Active, or rotated and still in its grace period; never a decoy, a suspended, expired or revoked token.</summary>
    private static bool Usable(TokenView view) => view.State is "active" or "grace";

    private static string Named(string name) => name.Length <= MaxNameLength ? name : name[..MaxNameLength];
}
