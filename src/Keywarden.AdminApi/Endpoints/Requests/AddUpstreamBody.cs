namespace Keywarden.AdminApi.Endpoints.Requests;

/// <summary>The body of <c>POST /v1/upstreams</c>: the options of <c>upstream add</c>, and the key (in the body, never the URL).</summary>
/// <param name="Name">The upstream's name.</param>
/// <param name="Kind">marketing or transactional.</param>
/// <param name="Key">The key; a secret: never logged or echoed.</param>
/// <param name="KeyName">The name the key was given in Mailchimp.</param>
/// <param name="BaseUrl">A non-Mailchimp address (the sandbox).</param>
/// <param name="NoVerify">Store the key without checking it with the provider.</param>
/// <param name="MaxKeyAgeDays">Rotation is due when the key is older (default 90).</param>
public sealed record AddUpstreamBody(
    string Name, string Kind, string Key, string? KeyName = null, Uri? BaseUrl = null, bool NoVerify = false, int? MaxKeyAgeDays = null)
{
    /// <summary>Never shows the key.</summary>
    public override string ToString() => $"AddUpstreamBody {{ Name = {Name}, Kind = {Kind} }}";
}
