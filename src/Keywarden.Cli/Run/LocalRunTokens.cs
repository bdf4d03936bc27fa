using Keywarden.Application;
using Keywarden.Cli.Infrastructure;
using Keywarden.Core.Policy;

namespace Keywarden.Cli.Run;

/// <summary>
/// The run's token, issued and revoked on the vault of the data directory (the master key from the environment or its
/// file), through <see cref="TokenService"/>: audited like any <c>token issue</c> and <c>token revoke</c>. The vault is
/// opened for each of the two and closed in between, so the master key is not held while the command runs.
/// </summary>
internal sealed class LocalRunTokens : IRunTokens
{
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
            var source = RunTemplate.Choose(
                await vault.Tokens.ListAsync(cancellationToken), template, t => (t.Record.Id, t.Record.Name, t.State));
            var policy = source.Record.Policy with { ExpiresAt = RunTemplate.Until(source.Record.Policy.ExpiresAt, until), NotBefore = null };
            issued = await vault.Tokens.IssueAsync(
                source.UpstreamName, RunTemplate.Named($"run: {source.Record.Name}"), policy, source.Record.OnAnomaly, cancellationToken);
        }
        else
        {
            issued = await vault.Tokens.IssueAsync(
                request.Upstream!, RunTemplate.Named($"run: {request.Command}"), new TokenPolicy { ExpiresAt = until }, cancellationToken);
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
}
