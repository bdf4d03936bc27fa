using System.Collections.Concurrent;
using System.Net;
using Keywarden.Core.Audit;
using Keywarden.Core.Keys;
using Keywarden.Gateway.Outcomes;
using Keywarden.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Keywarden.Gateway.Tests;

/// <summary>
/// Request outcomes reach every registered observer, after the audit and the metrics: what was asked, by which token,
/// what was decided under which rule, what the client got. An observer that fails once the request is over changes
/// nothing for the client or the record; one that fails as the response starts stops the answer.
/// </summary>
public sealed class OutcomeObserverTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnObserver_LearnsOfEveryRequest_AllowedRefusedAndToNoApi()
    {
        var seen = new RecordingObserver();
        await using var gw = await KeywardenHost.StartAsync(services: s => s.AddSingleton<IRequestOutcomeObserver>(seen));
        var issued = await gw.IssueAsync("news");

        var allowed = await gw.GetAsync("/3.0/ping", issued.Token.Value);
        var unknown = await gw.GetAsync("/3.0/ping", "kw_not-a-token");
        var nowhere = await gw.SendAsync(gw.Raw(HttpMethod.Get, "/v2/things"));
        await Wait.UntilAsync(() => Task.FromResult(seen.Completed.Count >= 3), "the observer learns of all three requests");

        Assert.Equal(HttpStatusCode.OK, allowed.Status);
        var first = seen.Completed.Single(o => o.Rule == "allow");
        Assert.Equal((UpstreamKind.Marketing, "marketing", "GET", "/ping", AuditDecision.Allow, 200, true, issued.Record.Id),
            (first.Api, first.ApiName, first.Method, first.Path, first.Decision, first.Status, first.Forwarded, first.TokenId));
        var refused = seen.Completed.Single(o => o.Rule == "credential");
        Assert.Equal((AuditDecision.Deny, (int)unknown.Status, false, (string?)null), (refused.Decision, refused.Status, refused.Forwarded, refused.TokenId));
        var noApi = seen.Completed.Single(o => o.Rule == "not-api");
        Assert.Equal(((UpstreamKind?)null, "none", (int)nowhere.Status), (noApi.Api, noApi.ApiName, noApi.Status));
        Assert.Equal(3, seen.StartedBeforeCompleted);
    }

    [Fact]
    public async Task AnObserverThatThrowsOnceTheRequestIsOver_ChangesNeitherTheAnswerNorTheRecord()
    {
        await using var gw = await KeywardenHost.StartAsync(services: s => s.AddSingleton<IRequestOutcomeObserver>(new ThrowingObserver(onStart: false)));
        var issued = await gw.IssueAsync("news");

        var answer = await gw.GetAsync("/3.0/ping", issued.Token.Value);
        var records = await gw.ReadAuditAsync();

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Contains(records, r => r.Entry.TokenId == issued.Record.Id && r.Entry.Rule == "allow" && r.Entry.UpstreamStatus == 200);
    }

    [Fact]
    public async Task AnObserverThatThrowsAsTheResponseStarts_StopsTheAnswer()
    {
        await using var gw = await KeywardenHost.StartAsync(services: s => s.AddSingleton<IRequestOutcomeObserver>(new ThrowingObserver(onStart: true)));
        var issued = await gw.IssueAsync("news");

        var failure = await Record.ExceptionAsync(() => gw.GetAsync("/3.0/ping", issued.Token.Value));

        Assert.IsType<HttpRequestException>(failure);
    }

    [Fact]
    public async Task AGatewayWithNoApiRegistered_RefusesToStart()
    {
        await using var gw = await KeywardenHost.StartAsync();
        var options = new Keywarden.Gateway.GatewayOptions();
        options.Urls.Add("http://127.0.0.1:0");

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => Keywarden.Gateway.GatewayServer.StartAsync(options, gw.Vault, cancellationToken: Ct));

        Assert.Contains("serves no API", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARequestToNoApi_IsToldThePathsTheRegisteredApisServe()
    {
        await using var gw = await KeywardenHost.StartAsync();

        var answer = await gw.SendAsync(gw.Raw(HttpMethod.Get, "/v2/things"));

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Equal(
            "Not an API path: the gateway serves /3.0/… (Marketing) and /api/1.0/… (Transactional).",
            answer.Json.GetProperty("detail").GetString());
    }

    /// <summary>What the observer saw, copied out (the outcome object is the request's own).</summary>
    private sealed record Seen(
        UpstreamKind? Api, string ApiName, string Method, string Path, string? TokenId, AuditDecision Decision, string Rule, int Status, bool Forwarded);

    private sealed class RecordingObserver : IRequestOutcomeObserver
    {
        private readonly ConcurrentDictionary<RequestOutcome, bool> _started = new(ReferenceEqualityComparer.Instance);
        private int _startedBeforeCompleted;

        public ConcurrentQueue<Seen> Completed { get; } = new();

        public int StartedBeforeCompleted => Volatile.Read(ref _startedBeforeCompleted);

        public Task OnResponseStartingAsync(RequestOutcome outcome)
        {
            _started[outcome] = true;
            return Task.CompletedTask;
        }

        public void OnCompleted(RequestOutcome outcome)
        {
            if (_started.TryRemove(outcome, out _))
            {
                Interlocked.Increment(ref _startedBeforeCompleted);
            }

            Completed.Enqueue(new Seen(
                outcome.Api, outcome.ApiName, outcome.Method, outcome.Path, outcome.TokenId, outcome.Decision, outcome.Rule, outcome.Status, outcome.Forwarded));
        }
    }

    private sealed class ThrowingObserver(bool onStart) : IRequestOutcomeObserver
    {
        public Task OnResponseStartingAsync(RequestOutcome outcome) =>
            onStart ? throw new InvalidOperationException("observer failed as the response started") : Task.CompletedTask;

        public void OnCompleted(RequestOutcome outcome)
        {
            if (!onStart)
            {
                throw new InvalidOperationException("observer failed once the request was over");
            }
        }
    }
}
