using System.Globalization;
using System.Text.Json.Nodes;

namespace Keywarden.Sandbox.Transactional;

/// <summary>users/ping, users/ping2, users/info, users/senders.</summary>
internal static class UsersMethods
{
    public static TransactionalResult Ping(TransactionalRequest request) => TransactionalResult.Ok(JsonValue.Create("PONG!"));

    public static TransactionalResult Ping2(TransactionalRequest request) =>
        TransactionalResult.Ok(new JsonObject { ["PING"] = "PONG!" });

    public static TransactionalResult Info(TransactionalRequest request)
    {
        var account = request.Account.Account;
        var now = request.Now;
        var sent = request.State.SentMessages.Where(m => m.AccountId == account.AccountId).ToList();
        return TransactionalResult.Ok(new JsonObject
        {
            ["username"] = account.Username,
            ["created_at"] = Format(account.CreatedAt),
            ["public_id"] = account.AccountId[..20],
            ["reputation"] = 75,
            ["hourly_quota"] = 250,
            ["backlog"] = 0,
            ["stats"] = new JsonObject
            {
                ["today"] = Stats(sent.Where(m => m.Time.UtcDateTime.Date == now.UtcDateTime.Date)),
                ["last_7_days"] = Stats(sent.Where(m => m.Time > now.AddDays(-7))),
                ["last_30_days"] = Stats(sent.Where(m => m.Time > now.AddDays(-30))),
                ["last_60_days"] = Stats(sent.Where(m => m.Time > now.AddDays(-60))),
                ["last_90_days"] = Stats(sent.Where(m => m.Time > now.AddDays(-90))),
                ["all_time"] = Stats(sent),
            },
        });
    }

    /// <summary>The senders that have sent from this account, with their counts.</summary>
    public static TransactionalResult Senders(TransactionalRequest request)
    {
        var senders = request.State.SentMessages
            .Where(m => m.AccountId == request.Account.Account.AccountId && m.FromEmail is not null)
            .GroupBy(m => m.FromEmail!, StringComparer.OrdinalIgnoreCase)
            .Select(g =>
            {
                var stats = Stats(g);
                stats["address"] = g.Key;
                stats["created_at"] = Format(g.Min(m => m.Time));
                return (JsonNode)stats;
            });
        return TransactionalResult.Ok(new JsonArray([.. senders]));
    }

    /// <summary>Mandrill's "YYYY-MM-DD HH:MM:SS" UTC timestamps.</summary>
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static JsonObject Stats(IEnumerable<SentMessage> messages) => new()
    {
        ["sent"] = messages.Sum(m => m.Recipients.Count(r => r.Status is "sent" or "queued" or "scheduled")),
        ["hard_bounces"] = 0,
        ["soft_bounces"] = 0,
        ["rejects"] = messages.Sum(m => m.Recipients.Count(r => r.Status is "rejected" or "invalid")),
        ["complaints"] = 0,
        ["unsubs"] = 0,
        ["opens"] = 0,
        ["unique_opens"] = 0,
        ["clicks"] = 0,
        ["unique_clicks"] = 0,
    };
}
