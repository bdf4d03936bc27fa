namespace Keywarden.AdminApi.Endpoints.Requests;

/// <summary>The body of <c>POST /v1/operators</c>.</summary>
/// <param name="Name">The new operator's login name.</param>
/// <param name="Role">viewer, operator or admin.</param>
public sealed record InviteOperatorRequest(string Name, string Role);
