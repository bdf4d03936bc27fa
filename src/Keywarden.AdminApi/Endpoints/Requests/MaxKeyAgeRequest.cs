namespace Keywarden.AdminApi.Endpoints.Requests;

/// <summary>The body of <c>POST /v1/upstreams/{name}/max-age</c>.</summary>
/// <param name="Days">Rotation is due when the current key is older than this many whole days.</param>
public sealed record MaxKeyAgeRequest(int Days);
