namespace Keywarden.AdminApi.Endpoints.Requests;

/// <summary>The body of <c>POST /v1/rotations/{upstream}/start</c>: the options of <c>rotate start</c>.</summary>
/// <param name="Reason">scheduled, leak or manual (default manual).</param>
/// <param name="Note">Why, for the record (e.g. where a leak was found); never a secret.</param>
public sealed record StartRotationRequest(string? Reason = null, string? Note = null);
