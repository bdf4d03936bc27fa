using Keywarden.Core.Keys;

namespace Keywarden.Cli.Run;

/// <summary>
/// The environment of the command <c>keywarden run</c> starts: keywarden's own, without any <c>KEYWARDEN_*</c> setting
/// (the master key, its file, the data directory) nor Mailchimp settings it inherited, plus the run's token where the
/// application reads its key and the gateway's address where it reads its base URL.
/// </summary>
internal static class RunEnvironment
{
    /// <summary>Marketing: the token, with the upstream's <c>-dc</c> suffix for libraries that take the datacenter from the key.</summary>
    public const string MarketingKey = "MAILCHIMP_API_KEY";

    /// <summary>Marketing: the datacenter, for the official client's <c>setConfig({ server })</c>.</summary>
    public const string ServerPrefix = "MAILCHIMP_SERVER_PREFIX";

    /// <summary>Marketing: the gateway's <c>/3.0</c>, for the official client's <c>basePath</c>.</summary>
    public const string MarketingBaseUrl = "MAILCHIMP_BASE_URL";

    /// <summary>Transactional: the token, for <c>mailchimpTransactional(key)</c>.</summary>
    public const string TransactionalKey = "MANDRILL_API_KEY";

    /// <summary>Transactional: the gateway's <c>/api/1.3</c>, for the official client's <c>basePath</c>.</summary>
    public const string TransactionalBaseUrl = "MANDRILL_BASE_URL";

    /// <summary>The gateway's root address, whatever the API.</summary>
    public const string GatewayUrl = "KEYWARDEN_GATEWAY_URL";

    /// <summary>The token's public id, for the application's logs.</summary>
    public const string TokenId = "KEYWARDEN_TOKEN_ID";

    private const string KeywardenPrefix = "KEYWARDEN_";

    /// <summary>What the command may not inherit: a real key beside the token, or a base URL that bypasses the gateway.</summary>
    private static readonly string[] Replaced = [MarketingKey, ServerPrefix, MarketingBaseUrl, TransactionalKey, TransactionalBaseUrl];

    /// <summary>The command's environment: <paramref name="inherited"/> less what it must not see, plus the run's settings.</summary>
    /// <param name="inherited">keywarden's own environment.</param>
    /// <param name="token">The run's token.</param>
    /// <param name="gateway">The gateway's root address, ending in <c>/</c>.</param>
    public static Dictionary<string, string> Build(IReadOnlyDictionary<string, string?> inherited, RunToken token, Uri gateway)
    {
        ArgumentNullException.ThrowIfNull(inherited);
        ArgumentNullException.ThrowIfNull(token);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in inherited)
        {
            if (value is not null && !name.StartsWith(KeywardenPrefix, StringComparison.Ordinal) && !Replaced.Contains(name, StringComparer.Ordinal))
            {
                environment[name] = value;
            }
        }

        environment[GatewayUrl] = gateway.ToString();
        environment[TokenId] = token.Id;
        if (token.Kind == UpstreamKind.Marketing)
        {
            environment[MarketingKey] = token.Datacenter is { } datacenter ? $"{token.Token.Value}-{datacenter}" : token.Token.Value;
            environment[MarketingBaseUrl] = new Uri(gateway, "3.0").ToString();
            if (token.Datacenter is { } server)
            {
                environment[ServerPrefix] = server;
            }
        }
        else
        {
            environment[TransactionalKey] = token.Token.Value;
            environment[TransactionalBaseUrl] = new Uri(gateway, "api/1.3").ToString();
        }

        return environment;
    }
}
