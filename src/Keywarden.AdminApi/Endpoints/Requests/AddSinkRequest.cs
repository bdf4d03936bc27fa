namespace Keywarden.AdminApi.Endpoints.Requests;

/// <summary>The body of <c>POST /v1/sinks</c>: the arguments of <c>sink add</c>.</summary>
/// <param name="Upstream">The upstream whose new keys the sink receives.</param>
/// <param name="Spec"><c>env:PATH#VAR</c>, <c>json:PATH#a.b</c> or <c>yaml:PATH#a.b</c>, with an absolute path on the server.</param>
public sealed record AddSinkRequest(string Upstream, string Spec);
