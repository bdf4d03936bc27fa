using System.Net;
using System.Text;
using System.Text.Json;
using Keywarden.Gateway.Tests;
using Keywarden.Sandbox;
using Microsoft.Extensions.Logging;

namespace Keywarden.AdminApi.Tests;

/// <summary>
/// Key rotations and sinks over the admin API against the sandbox: a whole rotation (start, submit the new key, confirm
/// the old one's revocation) with step-up where it changes the live key, the new key delivered to a sink and never in an
/// answer, a log line or the audit log; every step attributed to the caller.
/// </summary>
public sealed class RotationEndpointTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AWholeRotation_StartSubmitConfirm_WithStepUp_DeliversTheKeyToTheSink_AndNeverAnswersOrLogsIt()
    {
        using var logs = new InMemoryLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        await using var host = await AdminApiHost.StartAsync(loggerFactory);
        var bodies = new StringBuilder();
        var env = Path.Combine(host.Gateway.DataDirectory, "app.env");
        await File.WriteAllTextAsync(env, "MAILCHIMP_API_KEY=old-FAKE\n", Ct);
        await Collect(HttpMethod.Post, "/v1/sinks", TestAuthenticator.AdminSteppedUp, new { upstream = "news", spec = $"env:{env}#MAILCHIMP_API_KEY" }, HttpStatusCode.Created);

        var started = await Collect(HttpMethod.Post, "/v1/rotations/news/start", TestAuthenticator.Operator, new { reason = "leak", note = "found in a FAKE gist" });
        var again = await Collect(HttpMethod.Post, "/v1/rotations/news/start", TestAuthenticator.Operator, null);
        var canary = host.Gateway.Sandbox.State.CreateKey(host.Gateway.Account.AccountId, SandboxKeyKind.Marketing, "rotated").Key;
        var stale = await Collect(HttpMethod.Post, "/v1/rotations/news/submit", TestAuthenticator.Operator, new { key = canary }, HttpStatusCode.Forbidden);
        var malformed = await Collect(HttpMethod.Post, "/v1/rotations/news/submit", TestAuthenticator.OperatorSteppedUp, new { key = canary + "0" }, HttpStatusCode.UnprocessableEntity);
        var submitted = await Collect(HttpMethod.Post, "/v1/rotations/news/submit", TestAuthenticator.OperatorSteppedUp, new { key = canary });
        var stillValid = await Collect(HttpMethod.Post, "/v1/rotations/news/confirm", TestAuthenticator.OperatorSteppedUp, null);
        host.Gateway.Sandbox.State.RevokeKey(host.Gateway.MarketingKey.KeyId);
        var confirmed = await Collect(HttpMethod.Post, "/v1/rotations/news/confirm", TestAuthenticator.OperatorSteppedUp, null);
        var status = await Collect(HttpMethod.Get, "/v1/rotations/news", TestAuthenticator.Viewer, null);
        var all = await Collect(HttpMethod.Get, "/v1/rotations", TestAuthenticator.Viewer, null);
        using var export = await host.SendAsync(HttpMethod.Get, "/v1/audit/export", TestAuthenticator.Viewer);
        var audit = await export.Content.ReadAsStringAsync(Ct);

        Assert.Equal(("awaiting-new-key", "leak", false), (Text(started, "state"), Text(started, "reason"), started.GetProperty("already_open").GetBoolean()));
        Assert.NotEmpty(started.GetProperty("steps").EnumerateArray());
        Assert.True(again.GetProperty("already_open").GetBoolean());
        Assert.Equal("step_up_required", Text(stale, "code"));
        Assert.Equal("key_malformed", Text(malformed, "code"));
        Assert.Equal(canary[..4], Text(submitted, "key_prefix"));
        Assert.Equal("awaiting-revocation", Text(submitted.GetProperty("rotation"), "state"));
        Assert.Equal(("valid", "awaiting-revocation"), (Text(stillValid, "old_key_status"), Text(stillValid, "state")));
        Assert.Contains("revoke", Text(stillValid, "next_step"), StringComparison.Ordinal);
        Assert.Equal(("invalid", "revoked"), (Text(confirmed, "old_key_status"), Text(confirmed, "state")));
        Assert.Equal("revoked", Text(status.GetProperty("rotation"), "state"));
        Assert.Contains(status.GetProperty("rotation").GetProperty("history").EnumerateArray(), step => Text(step, "actor") == "otto");
        Assert.Equal("news", Text(Assert.Single(all.GetProperty("upstreams").EnumerateArray(), u => Text(u, "upstream") == "news"), "upstream"));
        Assert.Contains($"MAILCHIMP_API_KEY={canary}", await File.ReadAllTextAsync(env, Ct), StringComparison.Ordinal);

        var records = audit.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var rotationSteps = records.Where(r => Text(r, "method")?.StartsWith("rotation.", StringComparison.Ordinal) == true).ToList();
        Assert.Contains(rotationSteps, r => Text(r, "method") == "rotation.revoked");
        Assert.All(rotationSteps, r => Assert.Equal(("otto", "127.0.0.1"), (Text(r, "actor"), Text(r, "client"))));
        Assert.Contains(records, r => (Text(r, "method"), Text(r, "actor")) == ("sink.add", "ada"));

        Assert.False(logs.Text.Contains(canary, StringComparison.Ordinal), "the new key is in the logs");
        Assert.False(audit.Contains(canary, StringComparison.Ordinal), "the new key is in the audit log");
        Assert.False(bodies.ToString().Contains(canary, StringComparison.Ordinal), "the new key is in an answer");

        async Task<JsonElement> Collect(HttpMethod method, string path, string token, object? body, HttpStatusCode expected = HttpStatusCode.OK)
        {
            using var response = await host.SendAsync(method, path, token, body ?? (method == HttpMethod.Post ? new { } : null));
            var text = await response.Content.ReadAsStringAsync(Ct);
            bodies.Append(text).Append('\n');
            Assert.True(response.StatusCode == expected, $"{method} {path}: expected {expected}, got {(int)response.StatusCode}: {text}");
            return JsonDocument.Parse(text).RootElement.Clone();
        }
    }

    [Fact]
    public async Task Sinks_AddListRemove_ByAnAdmin_RefusingExecSpecsRelativePathsAndUnknownIds()
    {
        await using var host = await AdminApiHost.StartAsync();
        var env = Path.Combine(host.Gateway.DataDirectory, "app.env");
        await File.WriteAllTextAsync(env, "MAILCHIMP_API_KEY=old-FAKE\n", Ct);

        var added = await host.JsonAsync(
            HttpMethod.Post, "/v1/sinks", TestAuthenticator.AdminSteppedUp, new { upstream = "news", spec = $"env:{env}#MAILCHIMP_API_KEY" }, HttpStatusCode.Created);
        var listed = await host.JsonAsync(HttpMethod.Get, "/v1/sinks", TestAuthenticator.Viewer);
        var ofOther = await host.JsonAsync(HttpMethod.Get, "/v1/sinks?upstream=mail", TestAuthenticator.Viewer);
        var exec = await host.SendAsync(HttpMethod.Post, "/v1/sinks", TestAuthenticator.AdminSteppedUp, new { upstream = "news", spec = "exec:/bin/sh -c true" });
        var relative = await host.SendAsync(HttpMethod.Post, "/v1/sinks", TestAuthenticator.AdminSteppedUp, new { upstream = "news", spec = "env:app.env#KEY" });
        var unknownUpstream = await host.SendAsync(HttpMethod.Post, "/v1/sinks", TestAuthenticator.AdminSteppedUp, new { upstream = "nope", spec = $"env:{env}#KEY" });
        var unknown = await host.SendAsync(HttpMethod.Delete, "/v1/sinks/sink_FAKE0000", TestAuthenticator.AdminSteppedUp);
        var id = Text(added, "id")!;
        var removed = await host.JsonAsync(HttpMethod.Delete, $"/v1/sinks/{id}", TestAuthenticator.AdminSteppedUp);
        var after = await host.JsonAsync(HttpMethod.Get, "/v1/sinks", TestAuthenticator.Viewer);

        Assert.Equal(("news", $"env:{env}#MAILCHIMP_API_KEY"), (Text(added, "upstream"), Text(added, "spec")));
        Assert.Equal(id, Text(Assert.Single(listed.GetProperty("sinks").EnumerateArray()), "id"));
        Assert.Empty(ofOther.GetProperty("sinks").EnumerateArray());
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "sink_not_remote"), (exec.StatusCode, await AccessTests.ProblemCodeAsync(exec)));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "sink_refused"), (relative.StatusCode, await AccessTests.ProblemCodeAsync(relative)));
        Assert.Equal((HttpStatusCode.NotFound, "upstream_not_found"), (unknownUpstream.StatusCode, await AccessTests.ProblemCodeAsync(unknownUpstream)));
        Assert.Equal((HttpStatusCode.NotFound, "sink_not_found"), (unknown.StatusCode, await AccessTests.ProblemCodeAsync(unknown)));
        Assert.True(removed.GetProperty("removed").GetBoolean());
        Assert.Empty(after.GetProperty("sinks").EnumerateArray());
        foreach (var response in new[] { exec, relative, unknownUpstream, unknown })
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task RotationRefusals_AreProblemsWithTheRotationsCode()
    {
        await using var host = await AdminApiHost.StartAsync();

        using var noRotation = await host.SendAsync(HttpMethod.Post, "/v1/rotations/news/abort", TestAuthenticator.Operator, new { });
        using var noUpstream = await host.SendAsync(HttpMethod.Post, "/v1/rotations/nope/start", TestAuthenticator.Operator, new { });
        using var badReason = await host.SendAsync(HttpMethod.Post, "/v1/rotations/news/start", TestAuthenticator.Operator, new { reason = "whim" });
        await host.JsonAsync(HttpMethod.Post, "/v1/rotations/news/start", TestAuthenticator.Operator, new { });
        using var notYet = await host.SendAsync(HttpMethod.Post, "/v1/rotations/news/confirm", TestAuthenticator.OperatorSteppedUp, new { });
        var aborted = await host.JsonAsync(HttpMethod.Post, "/v1/rotations/news/abort", TestAuthenticator.Operator, new { });

        Assert.Equal((HttpStatusCode.Conflict, "no_rotation_in_progress"), (noRotation.StatusCode, await AccessTests.ProblemCodeAsync(noRotation)));
        Assert.Equal((HttpStatusCode.NotFound, "upstream_not_found"), (noUpstream.StatusCode, await AccessTests.ProblemCodeAsync(noUpstream)));
        Assert.Equal((HttpStatusCode.BadRequest, "bad_request"), (badReason.StatusCode, await AccessTests.ProblemCodeAsync(badReason)));
        Assert.Equal((HttpStatusCode.Conflict, "not_awaiting_revocation"), (notYet.StatusCode, await AccessTests.ProblemCodeAsync(notYet)));
        Assert.Equal(("news", "aborted"), (Text(aborted, "upstream"), Text(aborted, "state")));
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
