using System.Text.Json.Nodes;

namespace Keywarden.Sandbox.Marketing;

/// <summary>GET /3.0/ (the account root) and GET /3.0/ping.</summary>
internal static class RootResource
{
    public static MarketingResult Ping(MarketingRequest request) =>
        MarketingResult.Ok(new JsonObject { ["health_status"] = "Everything's Chimpy!" });

    public static MarketingResult GetAccount(MarketingRequest request)
    {
        var account = request.Account.Account;
        var totalSubscribers = request.Account.Lists.Values
            .Sum(l => l.Members.Values.Count(m => m.Status == "subscribed"));
        var created = Timestamps.Format(account.CreatedAt);
        return MarketingResult.Ok(new JsonObject
        {
            ["account_id"] = account.AccountId,
            ["login_id"] = account.LoginId,
            ["account_name"] = account.Name,
            ["email"] = account.Email,
            ["first_name"] = "Sandbox",
            ["last_name"] = "Owner",
            ["username"] = account.Username,
            ["avatar_url"] = "",
            ["role"] = "owner",
            ["member_since"] = created,
            ["pricing_plan_type"] = "monthly",
            ["first_payment"] = created,
            ["account_timezone"] = "UTC",
            ["account_industry"] = "Software",
            ["contact"] = new JsonObject
            {
                ["company"] = account.Name,
                ["addr1"] = "1 Sandbox Street",
                ["addr2"] = "",
                ["city"] = "Atlanta",
                ["state"] = "GA",
                ["zip"] = "30308",
                ["country"] = "US",
            },
            ["pro_enabled"] = false,
            ["last_login"] = Timestamps.Format(request.Now),
            ["total_subscribers"] = totalSubscribers,
            ["industry_stats"] = new JsonObject { ["open_rate"] = 0, ["bounce_rate"] = 0, ["click_rate"] = 0 },
            ["_links"] = Links.For(request, "/", "Root"),
        });
    }
}
