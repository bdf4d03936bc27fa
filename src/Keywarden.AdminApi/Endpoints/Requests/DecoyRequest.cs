namespace Keywarden.AdminApi.Endpoints.Requests;

/// <summary>The body of <c>POST /v1/tokens/decoys</c>.</summary>
/// <param name="Upstream">The upstream the decoy pretends to be for.</param>
/// <param name="Name">Where it is planted, for whoever reads the alert.</param>
public sealed record DecoyRequest(string Upstream, string Name);
