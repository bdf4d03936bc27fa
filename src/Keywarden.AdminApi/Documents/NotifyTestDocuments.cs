namespace Keywarden.AdminApi.Documents;

/// <summary>The answer to <c>POST /v1/notify/{id}/test</c>: whether the webhook took a test alert.</summary>
public static class NotifyTestDocuments
{
    /// <summary>The target (its URL with secrets hidden) and the outcome.</summary>
    public static object Tested(string id, string display, bool delivered, string? failure) => new { id, url = display, delivered, failure };
}
