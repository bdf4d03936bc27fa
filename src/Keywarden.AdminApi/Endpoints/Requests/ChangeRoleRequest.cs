namespace Keywarden.AdminApi.Endpoints.Requests;

/// <summary>The body of <c>POST /v1/operators/{name}/role</c>.</summary>
/// <param name="Role">viewer, operator or admin.</param>
public sealed record ChangeRoleRequest(string Role);
