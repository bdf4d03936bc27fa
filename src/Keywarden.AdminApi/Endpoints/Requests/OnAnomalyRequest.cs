namespace Keywarden.AdminApi.Endpoints.Requests;

/// <summary>The body of <c>POST /v1/tokens/{id}/on-anomaly</c>.</summary>
/// <param name="Response"><c>alert</c>, <c>suspend</c>, or <c>default</c> (the server's <c>--on-anomaly</c>).</param>
public sealed record OnAnomalyRequest(string Response);
