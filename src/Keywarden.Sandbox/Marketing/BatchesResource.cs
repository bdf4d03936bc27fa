using System.Text.Json;
using System.Text.Json.Nodes;
using Keywarden.Sandbox.Common;

namespace Keywarden.Sandbox.Marketing;

/// <summary>
/// /3.0/batches: runs every operation at once against the same account (Mailchimp queues them; the result is the
/// same, only sooner) and keeps the results for response_body_url.
/// </summary>
internal sealed class BatchesResource
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];
    private readonly MarketingRouter _router;

    public BatchesResource(MarketingRouter router)
    {
        _router = router;
    }

    public static string ResultsPath(string batchId) => $"/batch-results/{batchId}.tar.gz";

    public MarketingResult Start(MarketingRequest request)
    {
        if (request.IsBatchOperation)
        {
            return Problems.Create(400, "Invalid Action", "A batch operation cannot start another batch.");
        }

        if (!request.TryReadObject(out var body, out var error))
        {
            return error!;
        }

        var validator = new Validator();
        validator.Required(body, "", "operations");
        if (validator.Kind(body, "operations", "array") && body["operations"] is JsonArray operations)
        {
            for (var i = 0; i < operations.Count; i++)
            {
                CheckOperation(operations[i], $"operations.item:{i}", validator);
            }
        }

        if (!validator.IsValid)
        {
            return validator.ToProblem();
        }

        var submittedAt = request.Now;
        var results = new JsonArray();
        foreach (var operation in ((JsonArray)body["operations"]!).Cast<JsonObject>())
        {
            var method = operation.GetString("method")!.ToUpperInvariant();
            var path = operation.GetString("path")!;
            var operationId = operation.GetString("operation_id");
            var result = Run(request, method, path, operation["params"] as JsonObject, operation.GetString("body"));
            request.BatchOperations.Add(new RecordedBatchOperation(method, path, operationId, result.Status));
            results.Add((JsonNode)new JsonObject
            {
                ["status_code"] = result.Status,
                ["operation_id"] = operationId,
                ["response"] = result.Body is null ? "" : JsonResponses.ToJsonString(result.Body),
            });
        }

        var batch = new BatchRecord(Ids.LowerAlnum(10), request.Account.Account.AccountId, submittedAt, request.Now, results);
        lock (request.Account.Sync)
        {
            request.Account.Batches.Add(batch.Id, batch);
        }

        request.State.AddBatch(batch);
        return MarketingResult.Ok(ToJson(request, batch));
    }

    public static MarketingResult GetAll(MarketingRequest request)
    {
        if (!Pagination.TryParse(request.Query, out var page, out var error))
        {
            return error!;
        }

        var batches = request.Account.Batches.Values;
        return MarketingResult.Ok(new JsonObject
        {
            ["batches"] = new JsonArray([.. page.Apply(batches).Select(b => (JsonNode)ToJson(request, b))]),
            ["total_items"] = batches.Count,
            ["_links"] = Links.For(request, "/batches", "Batches/Collection"),
        });
    }

    public static MarketingResult Get(MarketingRequest request) =>
        request.Account.Batches.TryGetValue(request.Route("batch_id"), out var batch)
            ? MarketingResult.Ok(ToJson(request, batch))
            : Problems.NotFound();

    public static MarketingResult Delete(MarketingRequest request)
    {
        var batchId = request.Route("batch_id");
        lock (request.Account.Sync)
        {
            if (!request.Account.Batches.Remove(batchId))
            {
                return Problems.NotFound();
            }
        }

        request.State.RemoveBatch(batchId);
        return MarketingResult.NoContent();
    }

    private MarketingResult Run(MarketingRequest batchRequest, string method, string path, JsonObject? parameters, string? body)
    {
        var relative = path.StartsWith("/3.0/", StringComparison.Ordinal) || path == "/3.0" ? path[4..] : path;
        var segments = relative.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToList();
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in parameters ?? [])
        {
            query[name] = QueryValue(value);
        }

        return _router.Dispatch(new MarketingRequest
        {
            State = batchRequest.State,
            Account = batchRequest.Account,
            Key = batchRequest.Key,
            Method = method,
            Segments = segments,
            Query = query,
            Body = body,
            Origin = batchRequest.Origin,
            IsBatchOperation = true,
        });
    }

    private static string QueryValue(JsonNode? value) => value switch
    {
        null => "",
        JsonArray array => string.Join(',', array.Select(QueryValue)),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.True => "true",
        JsonValue v when v.GetValueKind() == JsonValueKind.False => "false",
        _ => value.ToJsonString(),
    };

    private static void CheckOperation(JsonNode? node, string path, Validator validator)
    {
        if (node is not JsonObject operation)
        {
            validator.Add(path, $"Schema describes object, {JsonBody.KindOf(node)} found instead");
            return;
        }

        validator.Required(operation, path, "method", "path");
        if (validator.Kind(operation, "method", "string", $"{path}.method")
            && operation.GetString("method") is { } method
            && !Methods.Contains(method.ToUpperInvariant()))
        {
            validator.Add($"{path}.method", "Data presented is not one of the accepted values: " + string.Join(", ", Methods) + ".");
        }

        validator.Kind(operation, "path", "string", $"{path}.path");
        validator.Kind(operation, "params", "object", $"{path}.params");
        validator.Kind(operation, "body", "string", $"{path}.body");
        validator.Kind(operation, "operation_id", "string", $"{path}.operation_id");
    }

    private static JsonObject ToJson(MarketingRequest request, BatchRecord batch) => new()
    {
        ["id"] = batch.Id,
        ["status"] = "finished",
        ["total_operations"] = batch.TotalOperations,
        ["finished_operations"] = batch.TotalOperations,
        ["errored_operations"] = batch.ErroredOperations,
        ["submitted_at"] = Timestamps.Format(batch.SubmittedAt),
        ["completed_at"] = Timestamps.Format(batch.CompletedAt),
        ["response_body_url"] = request.Origin + ResultsPath(batch.Id),
        ["_links"] = Links.For(request, $"/batches/{batch.Id}", "Batches/Instance", "/batches"),
    };
}
