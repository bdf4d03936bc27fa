namespace Keywarden.Cli.Remote;

/// <summary>Where the admin API is and the bearer token to send it: a <c>kws_</c> session from <c>keywarden login</c> or a <c>kwm_</c> machine credential.</summary>
/// <param name="Address">The admin API's base address, e.g. <c>http://127.0.0.1:8201/</c>.</param>
/// <param name="Token">The bearer token; never printed.</param>
internal sealed record RemoteSession(Uri Address, string Token)
{
    /// <summary>Never shows the token.</summary>
    public override string ToString() => $"RemoteSession {{ Address = {Address} }}";
}
