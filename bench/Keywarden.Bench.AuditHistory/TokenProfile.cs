using Keywarden.Core.Audit;
using Keywarden.Core.Policy;

namespace Keywarden.Bench.AuditHistory;

/// <summary>
/// One generated token and its app: rhythm, calls, networks and hosts, and its own seeded randomness, so its normal
/// traffic is the same whatever episodes the history holds.
/// </summary>
internal sealed class TokenProfile
{
    private const long HourMs = 3_600_000;
    private const long DayMs = 24 * HourMs;
    private long _noiseDay = -1;
    private double _dayNoise = 1;
    private long _nextDeploy;

    public TokenProfile(int index, Archetype archetype, long start, Rand rand)
    {
        Index = index;
        Archetype = archetype;
        Start = start;
        Rand = rand;
        Id = rand.TokenId();
        UpstreamId = "up_" + rand.HexString(12);
        Transactional = archetype is Archetype.TransactionalApp or Archetype.Digest;
        TimeZone = rand.Pick([-8, -5, -3, 0, 1, 2, 5, 8, 10]);
        ListId = rand.HexString(10);
        StoreId = rand.Pick(["shop_main", "store-eu", "my_store", "sneakers"]);
        Campaigns = [rand.HexString(10), rand.HexString(10), rand.HexString(10)];
        FromDomain = $"mail.{rand.Pick(["acme", "globex", "initech", "umbrella", "hooli", "stark"])}{index}.example";
        var v6 = rand.Chance(0.2);
        Networks = [NewNetwork(v6)];
        if (rand.Chance(0.15))
        {
            Networks.Add(NewNetwork(v6)); // a second region, used from the start
        }

        Hosts = Networks.Select(NewHost).ToList();
        _nextDeploy = start + (long)(rand.Uniform(4, 12) * DayMs);
        UserAgent = archetype switch
        {
            Archetype.TransactionalApp or Archetype.Digest => rand.Pick(["mailchimp-transactional-node/1.0.59", "Mandrill-PHP/1.0.55", "python-requests/2.31.0"]),
            Archetype.LowVolume => rand.Pick(["curl/8.5.0", "Go-http-client/1.1"]),
            _ => rand.Pick(["mailchimp-marketing-node/3.0.80", "MailchimpMarketing/3.0.80/python", "Go-http-client/2.0", "Ruby"]),
        };

        PeakRate = archetype switch
        {
            Archetype.SignupForm => rand.Uniform(5, 120),
            Archetype.CrmSync => rand.Uniform(2, 20),
            Archetype.CampaignTool => rand.Uniform(3, 30),
            Archetype.Ecommerce => rand.Uniform(5, 200),
            Archetype.TransactionalApp => rand.Uniform(5, 300),
            Archetype.Digest => rand.Uniform(0, 5),
            _ => 0,
        };

        Surfaces = archetype switch
        {
            Archetype.SignupForm => [new("POST", "/lists/{L}/members", 6), new("PUT", "/lists/{L}/members/{M}", 3), new("GET", "/lists/{L}/members/{M}", 1)],
            Archetype.CrmSync => [new("GET", "/lists/{L}/members/{M}", 5), new("POST", "/lists/{L}/members/{M}/tags", 2), new("PATCH", "/lists/{L}/members/{M}", 2)],
            Archetype.Reporting => [new("GET", "/campaigns", 1), new("GET", "/reports/{C}", 3), new("GET", "/reports/{C}/email-activity", 2), new("GET", "/reports/{C}/open-details", 1)],
            Archetype.CampaignTool =>
            [
                new("GET", "/campaigns", 3), new("GET", "/campaigns/{C}", 3), new("PATCH", "/campaigns/{C}", 1), new("PUT", "/campaigns/{C}/content", 1),
                new("GET", "/templates", 1), new("POST", "/campaigns/{C}/actions/test", 0.3), new("POST", "/campaigns", 0.3),
                new("GET", "/lists/{L}/segments", 1), new("POST", "/campaigns/{C}/actions/send", 0.05),
            ],
            Archetype.Ecommerce =>
            [
                new("POST", "/ecommerce/stores/{S}/orders", 3), new("PUT", "/ecommerce/stores/{S}/customers/{U}", 3), new("GET", "/ecommerce/stores/{S}/carts/{U}", 2),
                new("PATCH", "/ecommerce/stores/{S}/products/{P}", 1), new("DELETE", "/ecommerce/stores/{S}/carts/{U}", 1),
            ],
            Archetype.TransactionalApp => [new("POST", "messages/send", 20), new("POST", "messages/info", 1)],
            Archetype.Digest => [new("POST", "messages/send", 1)],
            _ => [rand.Chance(0.5) ? new("GET", "/ping") : new("GET", "/lists/{L}")],
        };

        CronMinutes = archetype == Archetype.Reporting ? rand.Pick([15, 30]) : 0;
        CronBurst = rand.Int(2, 9);
        SyncHourUtc = rand.Int(0, 5);
        SyncMinute = rand.Int(0, 50);
        SyncSize = archetype == Archetype.CrmSync ? rand.Uniform(300, 4000) : 0;
        SyncRate = rand.Uniform(3, 8);
        DigestSize = archetype == Archetype.Digest ? rand.Uniform(200, 3000) : 0;
        LowTimes = [rand.Int(6, 10), rand.Int(11, 15), rand.Int(16, 22)];
    }

    public int Index { get; }

    public Archetype Archetype { get; }

    public string Id { get; }

    public string UpstreamId { get; }

    public bool Transactional { get; }

    /// <summary>When the token is issued (its first request is soon after).</summary>
    public long Start { get; }

    public Rand Rand { get; }

    public int TimeZone { get; }

    public string ListId { get; }

    public string StoreId { get; }

    public string[] Campaigns { get; }

    public string FromDomain { get; }

    /// <summary>Network prefixes: <c>34.201.17</c> (a /24) or <c>2600:1f18:ab12</c> (a /48).</summary>
    public List<string> Networks { get; }

    public List<string> Hosts { get; }

    public string UserAgent { get; }

    /// <summary>Requests an hour at the busiest hour of a usual day (the human-driven part).</summary>
    public double PeakRate { get; }

    public Surface[] Surfaces { get; }

    public int CronMinutes { get; }

    public int CronBurst { get; }

    public int SyncHourUtc { get; }

    public int SyncMinute { get; }

    public double SyncSize { get; }

    public double SyncRate { get; }

    public double DigestSize { get; }

    public int[] LowTimes { get; }

    /// <summary>Windows in which the upstream answers every forwarded request with a status (the key revoked behind Keywarden's back).</summary>
    public List<(long Start, long End, int Status)> Failures { get; } = [];

    /// <summary>Roughly how many requests the token makes on a usual day.</summary>
    public double DailyVolume => (PeakRate * 12) + (CronMinutes > 0 ? 24 * 60 / CronMinutes * CronBurst : 0) + SyncSize + DigestSize + (Archetype == Archetype.LowVolume ? 3 : 0);

    /// <summary>This token's usual requests in an hour of its busy part of the day (what a "20×" burst multiplies).</summary>
    public double BusyHourRate => Math.Max(PeakRate, DailyVolume / 24);

    public void Generate(long hour, List<GeneratedRecord> output)
    {
        var hourStart = hour * HourMs;
        if (hourStart + HourMs <= Start)
        {
            return;
        }

        var day = hourStart / DayMs;
        if (day != _noiseDay)
        {
            _noiseDay = day;
            _dayNoise = Rand.LogNormal(0.25);
        }

        while (_nextDeploy < hourStart)
        {
            // A deploy: a new host in the same network.
            for (var i = 0; i < Hosts.Count; i++)
            {
                Hosts[i] = NewHost(Networks[i]);
            }

            _nextDeploy += (long)(Rand.Uniform(4, 12) * DayMs);
        }

        var local = DateTimeOffset.FromUnixTimeMilliseconds(hourStart).ToOffset(TimeSpan.FromHours(TimeZone));
        var lambda = PeakRate * Daily(local.Hour) * Weekly(local.DayOfWeek) * _dayNoise;
        var count = Rand.Poisson(lambda);
        for (var i = 0; i < count; i++)
        {
            Emit(hourStart + Rand.Long(0, HourMs), PickSurface(Surfaces), output);
        }

        if (CronMinutes > 0)
        {
            for (var minute = 0; minute < 60; minute += CronMinutes)
            {
                var at = hourStart + (minute * 60_000L) + Rand.Long(0, 20_000);
                for (var i = 0; i < CronBurst; i++)
                {
                    Emit(at + (i * 300L), PickSurface(Surfaces), output);
                }
            }

            var utc = DateTimeOffset.FromUnixTimeMilliseconds(hourStart);
            if (utc.DayOfWeek == DayOfWeek.Monday && utc.Hour == 6)
            {
                var size = (int)(Rand.Uniform(200, 600) * _dayNoise);
                for (var i = 0; i < size; i++)
                {
                    Emit(hourStart + (20 * 60_000L * i / size), PickSurface(Surfaces), output);
                }
            }
        }

        if (SyncSize > 0 && DateTimeOffset.FromUnixTimeMilliseconds(hourStart).Hour == SyncHourUtc)
        {
            Sync(hourStart, output);
        }

        if (DigestSize > 0 && local.Hour == 7)
        {
            var size = (int)(DigestSize * Rand.LogNormal(0.15));
            var spread = Rand.Uniform(15, 30) * 60_000;
            for (var i = 0; i < size; i++)
            {
                Emit(hourStart + (long)(spread * i / size), new Surface("POST", "messages/send-template"), output);
            }
        }

        if (Archetype == Archetype.LowVolume && Array.IndexOf(LowTimes, local.Hour) >= 0)
        {
            Emit(hourStart + Rand.Long(0, 10 * 60_000), Surfaces[0], output);
        }
    }

    /// <summary>A request of this token's app at <paramref name="at"/>: its network, its User-Agent, the upstream's usual answers.</summary>
    public void Emit(long at, Surface surface, List<GeneratedRecord> output, string? client = null, int? recipients = null, string? userAgent = null)
    {
        if (at < Start)
        {
            return;
        }

        client ??= Client();
        var path = Fill(surface.Template);
        var decision = AuditDecision.Allow;
        var rule = RuleNames.Allow;
        int? status = 200;
        if (Rand.Chance(0.0005))
        {
            // Now and then the app calls something its policy refuses (a feature flag, a stale code path).
            decision = AuditDecision.Deny;
            rule = Rand.Chance(0.5) ? "path" : "read-only";
            status = null;
        }
        else if (surface.Method == "GET" && surface.Template.EndsWith("{M}", StringComparison.Ordinal) && Rand.Chance(0.05))
        {
            status = 404; // a lookup of someone not subscribed
        }
        else if (Rand.Chance(0.0005))
        {
            status = Rand.Chance(0.5) ? 500 : 503; // Mailchimp's sporadic failures
        }
        else if (Rand.Chance(0.0005))
        {
            status = 429;
        }

        foreach (var (start, end, failure) in Failures)
        {
            if (at >= start && at < end && status is not null)
            {
                status = failure;
            }
        }

        if (Transactional && surface.Template.StartsWith("messages/send", StringComparison.Ordinal))
        {
            recipients ??= Rand.Chance(0.9) ? 1 : Rand.Int(2, 4);
            output.Add(new GeneratedRecord(at, Id, UpstreamId, client, surface.Method, path, decision, rule, status, recipients, FromDomain, userAgent ?? UserAgent));
            return;
        }

        output.Add(new GeneratedRecord(at, Id, UpstreamId, client, surface.Method, path, decision, rule, status, UserAgent: userAgent ?? UserAgent));
    }

    public string Fill(string template)
    {
        if (!template.Contains('{', StringComparison.Ordinal))
        {
            return template;
        }

        return template
            .Replace("{L}", ListId, StringComparison.Ordinal)
            .Replace("{M}", Rand.HexString(32), StringComparison.Ordinal)
            .Replace("{C}", Rand.Pick(Campaigns), StringComparison.Ordinal)
            .Replace("{S}", StoreId, StringComparison.Ordinal)
            .Replace("{U}", "cus_" + Rand.Int(1, 50_000), StringComparison.Ordinal)
            .Replace("{P}", "sku-" + Rand.Int(1, 900), StringComparison.Ordinal);
    }

    public Surface PickSurface(Surface[] surfaces)
    {
        var total = 0.0;
        foreach (var s in surfaces)
        {
            total += s.Weight;
        }

        var x = Rand.Uniform(0, total);
        foreach (var s in surfaces)
        {
            x -= s.Weight;
            if (x < 0)
            {
                return s;
            }
        }

        return surfaces[^1];
    }

    public string Client()
    {
        var i = Hosts.Count == 1 ? 0 : Rand.Int(0, Hosts.Count);
        return Hosts[i];
    }

    private void Sync(long hourStart, List<GeneratedRecord> output)
    {
        var size = (int)(SyncSize * Rand.LogNormal(0.15));
        var start = hourStart + (SyncMinute * 60_000L) + Rand.Long(0, 6 * 60_000);
        var spacing = 1000 / SyncRate;
        var surface = new Surface("PUT", "/lists/{L}/members/{M}");
        var limited = Rand.Chance(0.2) ? Rand.Int(10, 80) : 0;
        for (var i = 0; i < size; i++)
        {
            var at = start + (long)(i * spacing);
            if (i < limited && i % 7 == 3)
            {
                // Mailchimp-shaped 429s from the gateway's own rate limit: an app pushing too fast, not an intruder.
                output.Add(new GeneratedRecord(at, Id, UpstreamId, Hosts[0], "PUT", Fill(surface.Template), AuditDecision.Deny, RuleNames.Rate, null, UserAgent: UserAgent));
                continue;
            }

            Emit(at, surface, output, Hosts[0]);
        }
    }

    private string NewNetwork(bool v6) => v6
        ? $"2600:1f{Rand.Int(10, 99)}:{Rand.HexString(4)}"
        : $"{Rand.Pick([3, 18, 34, 35, 44, 52, 54, 104, 134, 146])}.{Rand.Int(0, 256)}.{Rand.Int(0, 256)}";

    /// <summary>A host of <paramref name="network"/>: another address in the same /24 or /48.</summary>
    public string NewHost(string network) =>
        network.Contains(':', StringComparison.Ordinal) ? $"{network}:{Rand.Int(1, 9)}::{Rand.HexString(3)}" : $"{network}.{Rand.Int(2, 255)}";

    /// <summary>The share of the peak rate at a local hour: quiet nights, a morning ramp, busy office hours, an evening tail.</summary>
    private static double Daily(int hour) => hour switch
    {
        < 6 => 0.05,
        < 8 => 0.3,
        < 9 => 0.7,
        < 18 => 1.0,
        < 22 => 0.5,
        _ => 0.15,
    };

    private double Weekly(DayOfWeek day) => (day, Archetype) switch
    {
        (DayOfWeek.Saturday or DayOfWeek.Sunday, Archetype.Ecommerce) => 1.1,
        (DayOfWeek.Saturday or DayOfWeek.Sunday, Archetype.CampaignTool) => 0.05,
        (DayOfWeek.Saturday, _) => 0.45,
        (DayOfWeek.Sunday, _) => 0.35,
        _ => 1.0,
    };
}
