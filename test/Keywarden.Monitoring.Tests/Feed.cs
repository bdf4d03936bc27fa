using Keywarden.Core.Audit;
using Keywarden.Core.Keys;
using Keywarden.Core.Policy;

namespace Keywarden.Monitoring.Tests;

/// <summary>Hand-made request sequences for one engine, in time order, collecting every raise.</summary>
internal sealed class Feed(MonitorOptions? options = null)
{
    /// <summary>A Monday, 00:00 UTC.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    public const string Token = "tok_0123456789ab";

    public const string Client = "203.0.113.10";

    public MonitorEngine Engine { get; } = new(options);

    public List<MonitorAlert> Alerts { get; } = [];

    public static MonitorEvent Request(
        DateTimeOffset time,
        string? token = Token,
        string? client = Client,
        string method = "GET",
        string path = "/lists/abc123/members",
        AuditDecision decision = AuditDecision.Allow,
        string rule = RuleNames.Allow,
        int? status = 200,
        int? recipients = null,
        string? fromDomain = null,
        string? userAgent = "app/1.0") =>
        new(time, AuditKind.Request, token, token is null ? null : "up_news", client, path.StartsWith('/') ? UpstreamKind.Marketing : UpstreamKind.Transactional,
            method, path, decision, rule, decision == AuditDecision.Allow ? status : null, recipients, fromDomain, userAgent);

    public void Add(MonitorEvent e) => Engine.Observe(e, Alerts);

    public void Add(IEnumerable<MonitorEvent> events)
    {
        foreach (var e in events)
        {
            Add(e);
        }
    }

    public void Prime(IEnumerable<MonitorEvent> events)
    {
        foreach (var e in events)
        {
            Engine.Prime(e);
        }
    }

    /// <summary><paramref name="count"/> requests spread evenly over the hour starting at <paramref name="hour"/>.</summary>
    public static IEnumerable<MonitorEvent> InHour(DateTimeOffset hour, int count, Func<DateTimeOffset, MonitorEvent>? make = null)
    {
        for (var i = 0; i < count; i++)
        {
            var at = hour + TimeSpan.FromTicks(TimeSpan.TicksPerHour * i / Math.Max(1, count));
            yield return make is null ? Request(at) : make(at);
        }
    }

    /// <summary>Every day from <see cref="Start"/> for <paramref name="days"/> days, <paramref name="perDay"/> gives that day's requests.</summary>
    public static IEnumerable<MonitorEvent> Days(int days, Func<DateTimeOffset, IEnumerable<MonitorEvent>> perDay)
    {
        for (var d = 0; d < days; d++)
        {
            foreach (var e in perDay(Start.AddDays(d)))
            {
                yield return e;
            }
        }
    }

    public IEnumerable<MonitorAlert> Of(string detector) => Alerts.Where(a => a.Detector == detector);
}
