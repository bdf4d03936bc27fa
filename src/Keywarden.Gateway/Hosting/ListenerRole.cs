namespace Keywarden.Gateway.Hosting;

/// <summary>
/// Which listener a connection came in on, tagged on the connection when it is accepted (its items, under
/// <see cref="Key"/>). Untagged connections are the API's. A host that composes other services with the gateway (the
/// coming admin API) tags its own listeners' connections with their own role, and the gateway passes their requests on.
/// </summary>
public static class ListenerRole
{
    /// <summary>The connection item that holds the role.</summary>
    public const string Key = "keywarden.listener";

    /// <summary>The gateway's API (the default for an untagged connection).</summary>
    public const string Api = "api";

    /// <summary>The operational listener: <c>/metrics</c>, <c>/healthz</c>, <c>/readyz</c>.</summary>
    public const string Metrics = "metrics";
}
