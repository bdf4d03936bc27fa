using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Keywarden.Sandbox.Common;
using Keywarden.Sandbox.Marketing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keywarden.Sandbox.Control;

/// <summary>
/// /_sandbox/…: what the Mailchimp web UI does for a person (accounts, keys, revocation), plus what tests need
/// (the request log, sent messages, holding requests, latency). Unauthenticated: the sandbox listens only where told.
/// </summary>
internal sealed class ControlEndpoints
{
    private static readonly TimeSpan DefaultHoldWait = TimeSpan.FromSeconds(10);
    private readonly SandboxState _state;

    public ControlEndpoints(SandboxState state)
    {
        _state = state;
    }

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/_sandbox/health", context => OkAsync(context, new JsonObject { ["status"] = "ok" }));
        app.MapPost("/_sandbox/accounts", CreateAccountAsync);
        app.MapGet("/_sandbox/accounts", context =>
            OkAsync(context, new JsonObject { ["accounts"] = Array(_state.Accounts.Select(ControlJson.Account)) }));
        app.MapGet("/_sandbox/accounts/{account_id}", context =>
            OkAsync(context, ControlJson.Account(_state.GetAccount(Route(context, "account_id")))));
        app.MapPost("/_sandbox/accounts/{account_id}/keys", CreateKeyAsync);
        app.MapGet("/_sandbox/accounts/{account_id}/keys", context =>
            OkAsync(context, new JsonObject { ["keys"] = Array(_state.GetKeys(Route(context, "account_id")).Select(ControlJson.Key)) }));
        app.MapGet("/_sandbox/keys/{key_id}", context => OkAsync(context, ControlJson.Key(_state.GetKey(Route(context, "key_id")))));
        app.MapPost("/_sandbox/keys/{key_id}/revoke", context =>
            OkAsync(context, ControlJson.Key(_state.RevokeKey(Route(context, "key_id")))));
        app.MapGet("/_sandbox/requests", GetRequestsAsync);
        app.MapDelete("/_sandbox/requests", context =>
        {
            _state.ClearRequests();
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });
        app.MapGet("/_sandbox/messages", context =>
            OkAsync(context, new JsonObject { ["messages"] = Array(_state.SentMessages.Select(ControlJson.Message)) }));
        app.MapPost("/_sandbox/hold", context => OkAsync(context, HoldJson(_state.GetOrStartHold())));
        app.MapGet("/_sandbox/hold", GetHoldAsync);
        app.MapPost("/_sandbox/hold/release", context =>
        {
            _state.CurrentHold?.Release();
            return OkAsync(context, HoldJson(null));
        });
        app.MapGet("/_sandbox/latency", context => OkAsync(context, LatencyJson()));
        app.MapPut("/_sandbox/latency", SetLatencyAsync);
        app.MapGet("/batch-results/{file}", GetBatchResultsAsync);
    }

    private async Task CreateAccountAsync(HttpContext context)
    {
        var body = await ReadObjectAsync(context);
        if (body?.GetString("name") is not { Length: > 0 } name)
        {
            await ErrorAsync(context, 400, "name is required");
            return;
        }

        var account = _state.CreateAccount(name, body.GetString("datacenter") ?? "us21", body.GetString("username"));
        await JsonResponses.WriteAsync(context.Response, StatusCodes.Status201Created, ControlJson.Account(account));
    }

    private async Task CreateKeyAsync(HttpContext context)
    {
        var body = await ReadObjectAsync(context) ?? [];
        SandboxKeyKind? kind = body.GetString("kind")?.ToLowerInvariant() switch
        {
            "marketing" => SandboxKeyKind.Marketing,
            "transactional" => SandboxKeyKind.Transactional,
            _ => null,
        };
        if (kind is null)
        {
            await ErrorAsync(context, 400, "kind must be \"marketing\" or \"transactional\"");
            return;
        }

        var created = _state.CreateKey(Route(context, "account_id"), kind.Value, body.GetString("name"));
        context.Response.Headers.CacheControl = "no-store";
        await JsonResponses.WriteAsync(context.Response, StatusCodes.Status201Created, ControlJson.CreatedKey(created));
    }

    private Task GetRequestsAsync(HttpContext context)
    {
        IEnumerable<RecordedRequest> requests = _state.Requests;
        var query = context.Request.Query;
        if (query["api"] is { Count: > 0 } api)
        {
            requests = requests.Where(r => r.Api == api[0]);
        }

        if (query["key_id"] is { Count: > 0 } keyId)
        {
            requests = requests.Where(r => r.KeyId == keyId[0]);
        }

        if (query["account_id"] is { Count: > 0 } accountId)
        {
            requests = requests.Where(r => r.AccountId == accountId[0]);
        }

        return OkAsync(context, new JsonObject { ["requests"] = Array(requests.Select(ControlJson.Request)) });
    }

    /// <summary>?wait_for=N waits (up to timeout_ms, default 10 s) until N requests are parked: no polling, no sleeps.</summary>
    private async Task GetHoldAsync(HttpContext context)
    {
        var hold = _state.CurrentHold;
        var query = context.Request.Query;
        if (hold is not null && int.TryParse(query["wait_for"], NumberStyles.None, CultureInfo.InvariantCulture, out var waitFor))
        {
            var timeout = int.TryParse(query["timeout_ms"], NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
                ? TimeSpan.FromMilliseconds(ms)
                : DefaultHoldWait;
            try
            {
                // A wall-clock bound on an HTTP wait, not sandbox time: a fake clock must not make it hang.
                await hold.WaitForHeldAsync(waitFor, context.RequestAborted).WaitAsync(timeout, context.RequestAborted);
            }
            catch (TimeoutException)
            {
                await ErrorAsync(context, StatusCodes.Status408RequestTimeout, $"fewer than {waitFor} requests were held in time ({hold.HeldCount})");
                return;
            }
        }

        await OkAsync(context, HoldJson(hold));
    }

    private async Task SetLatencyAsync(HttpContext context)
    {
        var body = await ReadObjectAsync(context);
        if (body?["milliseconds"] is not JsonValue value || !value.TryGetValue<int>(out var milliseconds) || milliseconds < 0)
        {
            await ErrorAsync(context, 400, "milliseconds must be a non-negative integer");
            return;
        }

        _state.ResponseDelay = TimeSpan.FromMilliseconds(milliseconds);
        await OkAsync(context, LatencyJson());
    }

    private async Task GetBatchResultsAsync(HttpContext context)
    {
        var file = Route(context, "file");
        var batch = file.EndsWith(".tar.gz", StringComparison.Ordinal) ? _state.FindBatch(file[..^".tar.gz".Length]) : null;
        if (batch is null)
        {
            await ErrorAsync(context, 404, "no such batch results");
            return;
        }

        var archive = BatchArchive.Build(batch);
        context.Response.ContentType = "application/x-gzip";
        context.Response.ContentLength = archive.Length;
        await context.Response.Body.WriteAsync(archive, context.RequestAborted);
    }

    private static JsonObject HoldJson(RequestHold? hold) => new()
    {
        ["holding"] = hold is { IsReleased: false },
        ["held"] = hold?.HeldCount ?? 0,
    };

    private JsonObject LatencyJson() => new() { ["milliseconds"] = (long)_state.ResponseDelay.TotalMilliseconds };

    private static async Task<JsonObject?> ReadObjectAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(context.RequestAborted);
        return string.IsNullOrWhiteSpace(text) ? [] : JsonBody.TryParse(text, out _) as JsonObject;
    }

    private static string Route(HttpContext context, string name) => (string)context.Request.RouteValues[name]!;

    private static JsonArray Array(IEnumerable<JsonObject> items) => new([.. items.Cast<JsonNode>()]);

    private static Task OkAsync(HttpContext context, JsonNode body) => JsonResponses.WriteAsync(context.Response, 200, body);

    internal static Task ErrorAsync(HttpContext context, int status, string message) =>
        JsonResponses.WriteAsync(context.Response, status, new JsonObject { ["error"] = message });
}
