namespace Keywarden.AdminApi.Endpoints.Requests;

/// <summary>The body of <c>POST /v1/tokens/{id}/suspend</c>.</summary>
/// <param name="Reason">Why, for whoever resumes it; never a secret.</param>
public sealed record SuspendTokenRequest(string Reason);
