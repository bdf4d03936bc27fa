using System.Text.Json.Nodes;

namespace Keywarden.Sandbox.Marketing;

/// <summary>A batch the sandbox ran, with the results served at its response_body_url.</summary>
internal sealed class BatchRecord
{
    public BatchRecord(string id, string accountId, DateTimeOffset submittedAt, DateTimeOffset completedAt, JsonArray results)
    {
        Id = id;
        AccountId = accountId;
        SubmittedAt = submittedAt;
        CompletedAt = completedAt;
        Results = results;
    }

    public string Id { get; }

    public string AccountId { get; }

    public DateTimeOffset SubmittedAt { get; }

    public DateTimeOffset CompletedAt { get; }

    /// <summary>One {status_code, operation_id, response} per operation, response being a JSON string.</summary>
    public JsonArray Results { get; }

    public int TotalOperations => Results.Count;

    public int ErroredOperations => Results.Count(r => r!["status_code"]!.GetValue<int>() >= 400);
}
