using System.Text.Json.Nodes;
using Keywarden.Sandbox.Common;
using Keywarden.Sandbox.State;

namespace Keywarden.Sandbox.Marketing;

/// <summary>One Marketing operation to run: from HTTP, or one operation of a batch.</summary>
internal sealed class MarketingRequest
{
    public required SandboxState State { get; init; }

    public required AccountData Account { get; init; }

    public required KeyRecord Key { get; init; }

    /// <summary>The method after X-HTTP-Method-Override, upper case.</summary>
    public required string Method { get; init; }

    /// <summary>Path segments after /3.0, decoded once.</summary>
    public required IReadOnlyList<string> Segments { get; init; }

    public required IReadOnlyDictionary<string, string> Query { get; init; }

    public required string? Body { get; init; }

    /// <summary>Scheme and authority the request came to, e.g. http://127.0.0.1:5000 (for links).</summary>
    public required string Origin { get; init; }

    /// <summary>Set when the request is itself a batch operation: batches do not nest.</summary>
    public bool IsBatchOperation { get; init; }

    public Dictionary<string, string> RouteValues { get; } = new(StringComparer.Ordinal);

    /// <summary>Filled by POST /batches with each operation run, for the request log.</summary>
    public List<RecordedBatchOperation> BatchOperations { get; } = [];

    public DateTimeOffset Now => State.TimeProvider.GetUtcNow();

    public string Route(string name) => RouteValues[name];

    /// <summary>The body as a JSON object; an empty body counts as {} so that validation names what is missing.</summary>
    public bool TryReadObject(out JsonObject body, out MarketingResult? error)
    {
        body = [];
        error = null;
        if (string.IsNullOrWhiteSpace(Body))
        {
            return true;
        }

        var node = JsonBody.TryParse(Body, out var valid);
        if (!valid)
        {
            error = Problems.JsonParseError();
            return false;
        }

        if (node is not JsonObject obj)
        {
            error = Problems.InvalidResource("", $"Schema describes object, {JsonBody.KindOf(node)} found instead");
            return false;
        }

        body = obj;
        return true;
    }

    public string Link(string path) => Origin + "/3.0" + path;
}
