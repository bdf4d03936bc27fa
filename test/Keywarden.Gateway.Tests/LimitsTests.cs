using System.Net;
using System.Text;
using Keywarden.Core.Policy;
using Keywarden.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Keywarden.Gateway.Tests;

/// <summary>
/// Body size, per-token rate, sending limits and the per-key concurrency guard, each judged by what the sandbox saw.
/// </summary>
public sealed class LimitsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BodyLargerThanTheLimit_Gets413_InEachApisShape_AndNeverReachesTheSandbox()
    {
        await using var gw = await KeywardenHost.StartAsync(o => o.MaxRequestBodyBytes = 1024);
        var news = await gw.TokenAsync("news");
        var mail = await gw.TokenAsync("mail");
        var padding = new string('x', 2048);

        var declared = await gw.SendAsync(gw.Json(HttpMethod.Post, "/3.0/lists", news, new { name = padding }));
        var chunkedBatch = gw.Json(HttpMethod.Post, "/3.0/batches", news, new { operations = new[] { new { method = "GET", path = "/lists", operation_id = padding } } });
        chunkedBatch.Headers.TransferEncodingChunked = true;
        var batch = await gw.SendAsync(chunkedBatch);
        var chunkedWrite = gw.Json(HttpMethod.Post, "/3.0/lists", news, new { name = padding });
        chunkedWrite.Headers.TransferEncodingChunked = true;
        var streamed = await gw.SendAsync(chunkedWrite);
        var mandrill = await gw.PostTransactionalAsync("/api/1.0/users/ping.json", new { key = mail, padding });

        declared.AssertProblem(HttpStatusCode.RequestEntityTooLarge, "Request Entity Too Large");
        batch.AssertProblem(HttpStatusCode.RequestEntityTooLarge, "Request Entity Too Large");
        streamed.AssertProblem(HttpStatusCode.RequestEntityTooLarge, "Request Entity Too Large");
        mandrill.AssertMandrillError(HttpStatusCode.RequestEntityTooLarge, "ValidationError");
        Assert.Empty(gw.Received);

        var small = await gw.SendAsync(gw.Json(HttpMethod.Post, "/3.0/lists", news, new { name = "small" }));

        Assert.Equal(HttpStatusCode.BadRequest, small.Status); // the sandbox's own validation: it got the whole body
        Assert.Equal("Invalid Resource", small.Json.GetProperty("title").GetString());
        Assert.Single(gw.Received);
    }

    [Fact]
    public async Task RateLimit_Answers429WithRetryAfter_UntilTheWindowTurns()
    {
        var clock = new FakeTimeProvider(NextMinute().AddSeconds(35));
        await using var gw = await KeywardenHost.StartAsync(time: clock);
        var news = await gw.TokenAsync("news", new TokenPolicy { Rate = new RateLimit(2, TimeSpan.FromMinutes(1)) });
        var other = await gw.TokenAsync("news", new TokenPolicy { Rate = new RateLimit(2, TimeSpan.FromMinutes(1)) });
        var mail = await gw.TokenAsync("mail", new TokenPolicy { Rate = new RateLimit(1, TimeSpan.FromMinutes(1)) });

        var first = await gw.GetAsync("/3.0/ping", news);
        var second = await gw.GetAsync("/3.0/ping", news);
        var third = await gw.GetAsync("/3.0/ping", news);
        var otherToken = await gw.GetAsync("/3.0/ping", other);
        var mandrillFirst = await gw.PostTransactionalAsync("/api/1.0/users/ping.json", new { key = mail });
        var mandrillSecond = await gw.PostTransactionalAsync("/api/1.0/users/ping.json", new { key = mail });
        clock.Advance(TimeSpan.FromSeconds(25));
        var nextWindow = await gw.GetAsync("/3.0/ping", news);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK], new[] { first.Status, second.Status });
        third.AssertProblem(HttpStatusCode.TooManyRequests, "Too Many Requests");
        Assert.Equal("25", third.Headers["Retry-After"]);
        Assert.Equal(HttpStatusCode.OK, otherToken.Status);
        Assert.Equal(HttpStatusCode.OK, mandrillFirst.Status);
        mandrillSecond.AssertMandrillError(HttpStatusCode.TooManyRequests, "Too_Many_Requests");
        Assert.Equal("25", mandrillSecond.Headers["Retry-After"]);
        Assert.Equal(HttpStatusCode.OK, nextWindow.Status);
        Assert.Equal(5, gw.Received.Count);
    }

    [Fact]
    public async Task SendingLimits_FromDomainMaxRecipientsAndDailyQuota_StopASpamCannon()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var gw = await KeywardenHost.StartAsync(time: clock);
        var token = await gw.TokenAsync("mail", new TokenPolicy { FromDomains = ["example.com"], MaxRecipients = 2, DailyQuota = 3 });

        Task<Answer> SendAsync(object message) => gw.PostTransactionalAsync("/api/1.0/messages/send.json", new { key = token, message });

        var foreignDomain = await SendAsync(PolicyEnforcementTests.Message("spam@evil.example", 1));
        var subdomain = await SendAsync(PolicyEnforcementTests.Message("a@mail.example.com", 1));
        var lookalike = await SendAsync(PolicyEnforcementTests.Message("a@example.com.evil.example", 1));
        var fromHeader = await SendAsync(new
        {
            subject = "hi", from_email = "a@example.com", html = "x",
            headers = new Dictionary<string, string> { ["From"] = "Boss <ceo@evil.example>" },
            to = new[] { new { email = "r@example.net" } },
        });
        var noSender = await SendAsync(new { subject = "hi", html = "x", to = new[] { new { email = "r@example.net" } } });
        var tooMany = await SendAsync(PolicyEnforcementTests.Message("a@example.com", 3));
        var bcc = await SendAsync(new { subject = "hi", from_email = "a@example.com", html = "x", bcc_address = "b@example.net", to = new[] { new { email = "r1@example.net" }, new { email = "r2@example.net" } } });
        var firstTwo = await SendAsync(PolicyEnforcementTests.Message("a@example.com", 2));
        var overQuota = await SendAsync(PolicyEnforcementTests.Message("a@example.com", 2));
        var lastOne = await SendAsync(PolicyEnforcementTests.Message("a@EXAMPLE.com", 1));
        var spent = await SendAsync(PolicyEnforcementTests.Message("a@example.com", 1));
        var midnight = new DateTimeOffset(clock.GetUtcNow().UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
        clock.Advance(midnight - clock.GetUtcNow());
        var nextDay = await SendAsync(PolicyEnforcementTests.Message("a@example.com", 2));

        Assert.All(new[] { foreignDomain, subdomain, lookalike, fromHeader, noSender, tooMany, bcc }, a => a.AssertMandrillError(HttpStatusCode.InternalServerError, "Forbidden"));
        Assert.Equal(HttpStatusCode.OK, firstTwo.Status);
        overQuota.AssertMandrillError(HttpStatusCode.TooManyRequests, "Too_Many_Requests");
        Assert.True(int.Parse(overQuota.Headers["Retry-After"], System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal(HttpStatusCode.OK, lastOne.Status);
        spent.AssertMandrillError(HttpStatusCode.TooManyRequests, "Too_Many_Requests");
        Assert.Equal(HttpStatusCode.OK, nextDay.Status);
        Assert.Equal([2, 1, 2], gw.Sandbox.State.SentMessages.Select(m => m.Recipients.Count));
        Assert.Equal(3, gw.Received.Count);
    }

    [Fact]
    public async Task ARefusedTransactionalRequest_SpendsNeitherRateNorQuota()
    {
        var clock = new FakeTimeProvider(NextMinute().AddSeconds(5));
        await using var gw = await KeywardenHost.StartAsync(time: clock);
        var token = await gw.TokenAsync("mail", new TokenPolicy { Methods = ["messages/send", "users/ping"], FromDomains = ["example.com"], Rate = new RateLimit(3, TimeSpan.FromMinutes(1)), DailyQuota = 2 });

        Task<Answer> SendAsync(string from, int recipients) =>
            gw.PostTransactionalAsync("/api/1.0/messages/send.json", new { key = token, message = PolicyEnforcementTests.Message(from, recipients) });

        var byPolicy = await SendAsync("spam@evil.example", 1);
        var notAMethod = await gw.PostTransactionalAsync("/api/1.0/templates/list.json", new { key = token });
        using var form = new StringContent($"key={token}&message[from_email]=a%40example.com", Encoding.UTF8, "application/x-www-form-urlencoded");
        using var formResponse = await gw.Client.PostAsync("/api/1.0/messages/send.json", form, Ct);
        var badBody = await Answer.ReadAsync(formResponse);
        var twoSends = await SendAsync("a@example.com", 2);
        var overQuota = await SendAsync("a@example.com", 1); // refused for the quota: must not spend the rate either
        var ping = await gw.PostTransactionalAsync("/api/1.0/users/ping.json", new { key = token });
        var lastOfTheRate = await gw.PostTransactionalAsync("/api/1.0/users/ping.json", new { key = token });

        byPolicy.AssertMandrillError(HttpStatusCode.InternalServerError, "Forbidden");
        notAMethod.AssertMandrillError(HttpStatusCode.InternalServerError, "Forbidden");
        badBody.AssertMandrillError(HttpStatusCode.InternalServerError, "ValidationError");
        Assert.Equal(HttpStatusCode.OK, twoSends.Status);
        overQuota.AssertMandrillError(HttpStatusCode.TooManyRequests, "Too_Many_Requests");
        Assert.Equal(HttpStatusCode.OK, ping.Status);
        Assert.Equal(HttpStatusCode.OK, lastOfTheRate.Status);
        Assert.Equal(3, gw.Received.Count);
    }

    [Fact]
    public async Task ARequestRefusedBecauseTheKeyIsBusy_GivesBackItsRateAndQuota()
    {
        var clock = new FakeTimeProvider(NextMinute().AddSeconds(5));
        await using var gw = await KeywardenHost.StartAsync(
            o =>
            {
                o.ConcurrencyPerKey = 1;
                o.QueueLimitPerKey = 0;
            },
            time: clock);
        var token = await gw.TokenAsync("mail", new TokenPolicy { Rate = new RateLimit(2, TimeSpan.FromMinutes(1)), DailyQuota = 2 });
        Task<Answer> SendAsync(int recipients) =>
            gw.PostTransactionalAsync("/api/1.0/messages/send.json", new { key = token, message = PolicyEnforcementTests.Message("a@example.com", recipients) });

        Task<Answer> held;
        Answer busy;
        using (var hold = gw.Sandbox.State.HoldRequests())
        {
            held = gw.PostTransactionalAsync("/api/1.0/users/ping.json", new { key = token });
            await hold.WaitForHeldAsync(1, Ct);
            busy = await SendAsync(1);
            hold.Release();
        }

        var first = await held;
        await Wait.UntilAsync(async () => await gw.GaugeAsync("keywarden_key_slots_in_flight") == 0, "the key's slot is free again");
        var afterwards = await SendAsync(2);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        busy.AssertMandrillError(HttpStatusCode.TooManyRequests, "Too_Many_Requests");
        Assert.Equal(HttpStatusCode.OK, afterwards.Status); // the busy one's request and message were given back
        Assert.Equal([2], gw.Sandbox.State.SentMessages.Select(m => m.Recipients.Count));
    }

    [Fact]
    public async Task AStreamedMarketingBodyRefusedOnItsWay_GivesBackItsRate()
    {
        var clock = new FakeTimeProvider(NextMinute().AddSeconds(5));
        await using var gw = await KeywardenHost.StartAsync(time: clock);
        var token = await gw.TokenAsync("news", new TokenPolicy { Rate = new RateLimit(1, TimeSpan.FromMinutes(1)) });
        var leaking = gw.Raw(HttpMethod.Post, "/3.0/lists", token);
        leaking.Content = new ByteArrayContent(Encoding.UTF8.GetBytes($$"""{"name":"{{new string('n', 50_000)}}","notes":"{{token}}"}"""));
        leaking.Content.Headers.ContentType = new("application/json");

        var refused = await gw.SendAsync(leaking);
        var next = await gw.GetAsync("/3.0/ping", token);

        refused.AssertProblem(HttpStatusCode.BadRequest, "Bad Request");
        Assert.Equal(HttpStatusCode.OK, next.Status);
    }

    [Theory]
    [InlineData("duplicate-message")]
    [InlineData("form-encoded")]
    [InlineData("send-raw-without-to")]
    [InlineData("send-template-duplicate-to")]
    public async Task DailyQuota_CannotBeDodgedWithABodyTheGatewayCannotCount(string shape)
    {
        await using var gw = await KeywardenHost.StartAsync();
        var token = await gw.TokenAsync("mail", new TokenPolicy { DailyQuota = 2 });
        var recipients = string.Join(',', Enumerable.Range(0, 5).Select(i => $$"""{"email":"r{{i}}@example.net"}"""));
        var (path, contentType, body) = shape switch
        {
            "duplicate-message" => ("messages/send", "application/json",
                $$$"""{"key":"{{{token}}}","message":{"from_email":"a@example.com","to":[{"email":"r@example.net"}]},"message":{"from_email":"a@example.com","html":"x","to":[{{{recipients}}}]}}"""),
            "form-encoded" => ("messages/send", "application/x-www-form-urlencoded",
                $"key={token}&message[from_email]=a%40example.com&message[html]=x"
                + string.Concat(Enumerable.Range(0, 5).Select(i => $"&message[to][{i}][email]=r{i}%40example.net"))),
            "send-raw-without-to" => ("messages/send-raw", "application/json",
                $$"""{"key":"{{token}}","from_email":"a@example.com","raw_message":"From: a@example.com\r\nTo: r0@example.net, r1@example.net, r2@example.net, r3@example.net\r\nSubject: hi\r\n\r\nx"}"""),
            _ => ("messages/send-template", "application/json",
                $$$"""{"key":"{{{token}}}","template_name":"t","template_content":[],"message":{"from_email":"a@example.com","to":[{"email":"r@example.net"}],"to":[{{{recipients}}}]}}"""),
        };
        using var content = new StringContent(body, Encoding.UTF8, contentType);

        using var response = await gw.Client.PostAsync($"/api/1.0/{path}.json", content, Ct);
        var answer = await Answer.ReadAsync(response);

        Assert.True(answer.Status is HttpStatusCode.InternalServerError or HttpStatusCode.TooManyRequests, $"got {(int)answer.Status}: {answer.Body}");
        Assert.Equal("error", answer.Json.GetProperty("status").GetString());
        Assert.Empty(gw.Received);
        Assert.Empty(gw.Sandbox.State.SentMessages);
    }

    [Fact]
    public async Task ThirtyConcurrentRequestsOnOneKey_NeverPutMoreThanTenInFlightAtTheSandbox_AndNoneGets429()
    {
        await using var gw = await KeywardenHost.StartAsync();
        var tokens = new[] { await gw.TokenAsync("news"), await gw.TokenAsync("news"), await gw.TokenAsync("news") };
        using var hold = gw.Sandbox.State.HoldRequests();

        var requests = Enumerable.Range(0, 30).Select(i => gw.GetAsync("/3.0/ping", tokens[i % 3])).ToList();
        await hold.WaitForHeldAsync(10, Ct);
        await Wait.UntilAsync(async () => await gw.GaugeAsync("keywarden_key_slots_waiting") == 20, "20 requests wait for a slot of the key");
        var heldWhileTwentyWait = hold.HeldCount;
        var inFlight = await gw.GaugeAsync("keywarden_key_slots_in_flight");
        hold.Release();
        var answers = await Task.WhenAll(requests);

        Assert.Equal(10, heldWhileTwentyWait);
        Assert.Equal(10, inFlight);
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Equal(30, gw.Received.Count);
        Assert.All(gw.Received, r => Assert.Equal(200, r.Status)); // the sandbox answers 429 to an 11th in flight
    }

    [Fact]
    public async Task KeyQueueBeyondItsBound_Answers429WithRetryAfter_WithoutReachingTheSandbox()
    {
        await using var gw = await KeywardenHost.StartAsync(o =>
        {
            o.ConcurrencyPerKey = 1;
            o.QueueLimitPerKey = 1;
        });
        var token = await gw.TokenAsync("news");
        using var hold = gw.Sandbox.State.HoldRequests();

        var first = gw.GetAsync("/3.0/ping", token);
        await hold.WaitForHeldAsync(1, Ct);
        var second = gw.GetAsync("/3.0/ping", token);
        await Wait.UntilAsync(async () => await gw.GaugeAsync("keywarden_key_slots_waiting") == 1, "the second request waits");
        var third = await gw.GetAsync("/3.0/ping", token);
        var receivedWhileFull = gw.Received.Count;
        hold.Release();

        third.AssertProblem(HttpStatusCode.TooManyRequests, "Too Many Requests");
        Assert.Equal("1", third.Headers["Retry-After"]);
        Assert.Equal(0, receivedWhileFull);
        Assert.Equal(HttpStatusCode.OK, (await first).Status);
        Assert.Equal(HttpStatusCode.OK, (await second).Status);
        Assert.Equal(2, gw.Received.Count);
    }

    private static DateTimeOffset NextMinute()
    {
        var now = TimeProvider.System.GetUtcNow();
        return DateTimeOffset.FromUnixTimeSeconds(((now.ToUnixTimeSeconds() / 60) + 1) * 60);
    }
}
