using System.Text.Json;
using System.Text.Json.Nodes;
using Keywarden.AdminApi.Endpoints.Requests;
using Keywarden.Cli.Infrastructure;
using Keywarden.Cli.Remote;
using Keywarden.Core.Policy;
using Keywarden.Core.Tokens;
using Keywarden.Mailchimp;

namespace Keywarden.Cli.Run;

/// <summary>
/// The run's token issued and revoked through the admin API (remote mode): the same rules as <see cref="LocalRunTokens"/>,
/// audited on the server as the logged-in operator or machine credential.
/// </summary>
internal sealed class RemoteRunTokens : IRunTokens
{
    private readonly AdminClient _remote;
    private readonly TimeProvider _time;

    public RemoteRunTokens(AdminClient remote, TimeProvider time)
    {
        _remote = remote;
        _time = time;
    }

    public async Task<RunToken> IssueAsync(RunTokenRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var until = _time.GetUtcNow() + request.Ttl;
        IssueTokenRequest issue;
        if (request.Template is { } template)
        {
            var source = RunTemplate.Choose(
                [.. await RemoteTokenList.AllAsync(_remote, cancellationToken)], template, t => (Text(t, "id"), Text(t, "name"), Text(t, "state")));
            var policy = source!["policy"].Deserialize<TokenPolicy>(JsonOutput.Options)
                ?? throw new CliException($"the admin API at {_remote.Address} listed token {Text(source, "id")} without its policy");
            policy = policy with { ExpiresAt = RunTemplate.Until(policy.ExpiresAt, until), NotBefore = null };
            issue = IssueTokenRequest.For(
                Text(source, "upstream"), RunTemplate.Named($"run: {Text(source, "name")}"), policy, source["on_anomaly"]?.GetValue<string>());
        }
        else
        {
            issue = IssueTokenRequest.For(request.Upstream!, RunTemplate.Named($"run: {request.Command}"), new TokenPolicy { ExpiresAt = until }, onAnomaly: null);
        }

        var answer = await _remote.PostAsync("v1/tokens", issue, cancellationToken);
        var id = Text(answer, "id");
        try
        {
            var upstream = await _remote.GetAsync($"v1/upstreams/{Uri.EscapeDataString(Text(answer, "upstream"))}", cancellationToken);
            if (!GatewayToken.TryParse(Text(answer, "token"), out var token)
                || !MailchimpApis.Catalog.TryGet(Text(upstream, "kind"), out var api)
                || answer["policy"]?["expires_at"]?.GetValue<DateTimeOffset>() is not { } expires)
            {
                throw new CliException($"the admin API at {_remote.Address} answered the issue of {id} with a document this keywarden does not read");
            }

            return new RunToken(id, Text(answer, "name"), token, Text(answer, "upstream"), api.Kind, upstream["datacenter"]?.GetValue<string>(), expires);
        }
        catch
        {
            await RevokeAsync(id, CancellationToken.None); // never leave an issued token behind that nobody runs with
            throw;
        }
    }

    public Task RevokeAsync(string id, CancellationToken cancellationToken = default) =>
        _remote.PostAsync($"v1/tokens/{Uri.EscapeDataString(id)}/revoke", null, cancellationToken);

    private static string Text(JsonNode? node, string name) => node?[name]?.GetValue<string>() ?? "";
}
