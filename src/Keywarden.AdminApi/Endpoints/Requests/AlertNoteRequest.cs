namespace Keywarden.AdminApi.Endpoints.Requests;

/// <summary>The body of <c>POST /v1/alerts/{id}/ack</c> and <c>/resolve</c>.</summary>
/// <param name="Note">What was found or done, for the next reader.</param>
public sealed record AlertNoteRequest(string? Note = null);
