namespace Keywarden.AdminApi.Endpoints.Requests;

/// <summary>The body of <c>POST /v1/machine-credentials</c>.</summary>
/// <param name="Name">What uses it, e.g. the CI pipeline's name.</param>
/// <param name="Role">viewer, operator or admin.</param>
/// <param name="ExpiresAt">When it stops working (at most a year away).</param>
public sealed record IssueMachineCredentialRequest(string Name, string Role, DateTimeOffset ExpiresAt);
