namespace Keywarden.AdminApi.Endpoints.Requests;

/// <summary>The body of <c>POST /v1/tokens/{id}/rotate</c>.</summary>
/// <param name="GraceSeconds">How long the old token keeps working (0: revoked at once; default 24 hours).</param>
public sealed record RotateTokenRequest(long? GraceSeconds = null);
