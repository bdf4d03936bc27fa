using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json.Nodes;

namespace Keywarden.Sandbox.Tests.Marketing;

public sealed class BatchesTests
{
    [Fact]
    public async Task Batch_RunsEveryOperationAgainstTheSameAccount()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var list = await sandbox.CreateListAsync();
        var operations = new JsonArray
        {
            Operation("POST", $"/lists/{list}/members", "add-1", """{"email_address":"one@example.com","status":"subscribed"}"""),
            Operation("POST", $"/lists/{list}/members", "add-2", """{"email_address":"two@example.com","status":"subscribed"}"""),
            Operation("POST", $"/lists/{list}/members", "dup", """{"email_address":"one@example.com","status":"subscribed"}"""),
            Operation("GET", $"/lists/{list}/members", "read", null, new JsonObject { ["count"] = 1, ["fields"] = "total_items" }),
        };

        var reply = await sandbox.MarketingAsync(HttpMethod.Post, "batches", new JsonObject { ["operations"] = operations }.ToJsonString());

        Assert.Equal(200, reply.Status);
        Assert.Equal("finished", reply.String("status"));
        Assert.Equal(4, reply.Json!["total_operations"]!.GetValue<int>());
        Assert.Equal(4, reply.Json!["finished_operations"]!.GetValue<int>());
        Assert.Equal(1, reply.Json!["errored_operations"]!.GetValue<int>());
        Assert.StartsWith(sandbox.Server.BaseAddress.ToString().TrimEnd('/'), reply.String("response_body_url"), StringComparison.Ordinal);
        var members = await sandbox.MarketingAsync(HttpMethod.Get, $"lists/{list}/members");
        Assert.Equal(2, members.Json!["total_items"]!.GetValue<int>());
        var recorded = sandbox.State.Requests[^2];
        Assert.Equal("/3.0/batches", recorded.Path);
        Assert.Equal([200, 200, 400, 200], recorded.BatchOperations.Select(o => o.Status));
        Assert.Equal(["add-1", "add-2", "dup", "read"], recorded.BatchOperations.Select(o => o.OperationId));
    }

    [Fact]
    public async Task BatchResults_AreATarGzOfTheResponses()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var operations = new JsonArray { Operation("GET", "/ping", "p", null), Operation("GET", "/lists/nope", "missing", null) };
        var batch = await sandbox.MarketingAsync(HttpMethod.Post, "batches", new JsonObject { ["operations"] = operations }.ToJsonString());

        var archive = await sandbox.Http.GetByteArrayAsync(batch.String("response_body_url"), SandboxHarness.Ct);

        using var gzip = new GZipStream(new MemoryStream(archive), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        var entry = await tar.GetNextEntryAsync(cancellationToken: SandboxHarness.Ct);
        Assert.NotNull(entry);
        var results = (await JsonNode.ParseAsync(entry.DataStream!, cancellationToken: SandboxHarness.Ct))!.AsArray();
        Assert.Equal(2, results.Count);
        Assert.Equal(200, results[0]!["status_code"]!.GetValue<int>());
        Assert.Equal("p", results[0]!["operation_id"]!.GetValue<string>());
        Assert.Equal("Everything's Chimpy!", JsonNode.Parse(results[0]!["response"]!.GetValue<string>())!["health_status"]!.GetValue<string>());
        Assert.Equal(404, results[1]!["status_code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Batch_WithBodyThatIsNotAString_Returns400()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var reply = await sandbox.MarketingAsync(
            HttpMethod.Post,
            "batches",
            """{"operations":[{"method":"POST","path":"/lists","body":{"name":"x"}}]}""");

        Assert.Equal(400, reply.Status);
        Assert.Equal("Invalid Resource", reply.String("title"));
        Assert.Equal("operations.item:0.body", reply.Json!["errors"]![0]!["field"]!.GetValue<string>());
        Assert.Empty(sandbox.State.Requests[^1].BatchOperations);
    }

    [Fact]
    public async Task Batches_CanBeListedFetchedAndDeleted()
    {
        await using var sandbox = await SandboxHarness.StartAsync();
        var started = await sandbox.MarketingAsync(HttpMethod.Post, "batches", """{"operations":[{"method":"GET","path":"/ping"}]}""");
        var id = started.String("id")!;

        var listed = await sandbox.MarketingAsync(HttpMethod.Get, "batches");
        var fetched = await sandbox.MarketingAsync(HttpMethod.Get, $"batches/{id}");
        var deleted = await sandbox.MarketingAsync(HttpMethod.Delete, $"batches/{id}");
        var gone = await sandbox.MarketingAsync(HttpMethod.Get, $"batches/{id}");

        Assert.Equal(1, listed.Json!["total_items"]!.GetValue<int>());
        Assert.Equal(id, fetched.String("id"));
        Assert.Equal(204, deleted.Status);
        Assert.Equal(404, gone.Status);
    }

    [Fact]
    public async Task Batch_CannotStartAnotherBatch()
    {
        await using var sandbox = await SandboxHarness.StartAsync();

        var reply = await sandbox.MarketingAsync(
            HttpMethod.Post,
            "batches",
            """{"operations":[{"method":"POST","path":"/batches","body":"{\"operations\":[]}"}]}""");

        Assert.Equal(1, reply.Json!["errored_operations"]!.GetValue<int>());
    }

    private static JsonObject Operation(string method, string path, string operationId, string? body, JsonObject? parameters = null)
    {
        var operation = new JsonObject { ["method"] = method, ["path"] = path, ["operation_id"] = operationId };
        if (body is not null)
        {
            operation["body"] = body;
        }

        if (parameters is not null)
        {
            operation["params"] = parameters;
        }

        return operation;
    }
}
