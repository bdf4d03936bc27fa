using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Keywarden.Application;
using Keywarden.Core.Keys;
using Keywarden.Core.Monitoring;
using Keywarden.Gateway;
using Keywarden.Storage;

namespace Keywarden.Cli.Commands;

/// <summary>The demo's gateway part: real HTTP calls through <c>serve</c>'s gateway, as an application would make them.</summary>
internal static class DemoGateway
{
    /// <summary>An audience that already exists in the Mailchimp account (created with the real key, as the account owner would have).</summary>
    public static async Task<string> CreateAudienceAsync(HttpClient sandbox, string realKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "3.0/lists")
        {
            Content = JsonContent.Create(new
            {
                name = "Newsletter",
                permission_reminder = "You signed up on our site.",
                email_type_option = false,
                contact = new { company = "Acme", address1 = "1 Main St", city = "Springfield", state = "IL", zip = "62701", country = "US" },
                campaign_defaults = new { from_name = "Acme", from_email = "news@acme.example.org", subject = "News", language = "en" },
            }),
        };
        request.Headers.Authorization = Basic(realKey);
        using var response = await sandbox.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetString()!;
    }

    /// <summary>What the gateway allows and refuses, one call each, ending with a token revoked.</summary>
    public static async Task RunAsync(
        CliContext context, DemoCommand.DemoSteps step, GatewayServer gateway, KeywardenVault vault, string listId, string signupToken, string receiptsToken,
        CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };

        await Call(context, http, "signup-form adds a subscriber", HttpMethod.Post, $"3.0/lists/{listId}/members", signupToken,
            new { email_address = "ada@example.org", status = "subscribed" }, cancellationToken);
        await Call(context, http, "signup-form tries the account's automations (outside its paths)", HttpMethod.Get, "3.0/automations", signupToken, null, cancellationToken);
        await Call(context, http, "signup-form tries to delete the audience through a dot-segment", HttpMethod.Delete, $"3.0/lists/{listId}/members/../../{listId}", signupToken, null, cancellationToken);
        await Call(context, http, "shop-receipts sends a receipt", HttpMethod.Post, "api/1.0/messages/send.json", null,
            Receipt(receiptsToken, "orders@shop.example.org", 1), cancellationToken);
        await Call(context, http, "shop-receipts is used to send spam from another domain", HttpMethod.Post, "api/1.0/messages/send.json", null,
            Receipt(receiptsToken, "promo@spam.example.net", 1), cancellationToken);
        await Call(context, http, "shop-receipts is used to send to 50 people at once", HttpMethod.Post, "api/1.0/messages/send.json", null,
            Receipt(receiptsToken, "orders@shop.example.org", 50), cancellationToken);

        var tokenId = (await vault.Tokens.ListAsync(cancellationToken)).First(t => t.Record.Name == "signup-form").Record.Id;
        await step.Run(null, "token", "revoke", tokenId);
        await gateway.RefreshTokensAsync(cancellationToken); // what the gateway's 100 ms poll does
        await Call(context, http, "the revoked signup-form token, on its next request", HttpMethod.Get, $"3.0/lists/{listId}/members", signupToken, null, cancellationToken);
        await context.Out.WriteLineAsync();
    }

    /// <summary>
    /// The monitor's part: someone finds the decoy planted in the CI variables and tries it; the monitor has meanwhile
    /// flagged the receipts token's sends from another domain. Both alerts are listed.
    /// </summary>
    public static async Task MonitorAsync(
        CliContext context, DemoCommand.DemoSteps step, GatewayServer gateway, KeywardenVault vault, string decoyToken,
        CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        await step.Say("8. The monitor watches every request (off the request's thread). Someone finds the decoy planted in the CI variables and tries it;");
        await step.Say("   its address is then refused for a while (serve --decoy-block), whatever token it sends.");
        await Call(context, http, "the decoy token, from the CI variables", HttpMethod.Get, "3.0/lists", decoyToken, null, cancellationToken);
        await context.Out.WriteLineAsync();
        await step.Say("   Alerts: the decoy, and step 6's sends from another domain (an app sends as its policy says, so that was someone else).");
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            deadline.CancelAfter(TimeSpan.FromSeconds(30));
            var query = new AlertQuery { States = [AlertState.Open] };
            while ((await vault.Store.ListAlertsAsync(query, deadline.Token)).Select(a => a.Detector).Distinct().Count() < 2)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), context.Time, deadline.Token);
            }
        }

        await step.Run(null, "alerts", "list");
    }

    private static object Receipt(string token, string from, int recipients) => new
    {
        key = token,
        message = new
        {
            from_email = from,
            subject = "Your order",
            text = "Thanks!",
            to = Enumerable.Range(1, recipients).Select(i => new { email = $"customer{i}@example.org", type = "to" }).ToArray(),
        },
    };

    private static async Task Call(CliContext context, HttpClient http, string what, HttpMethod method, string path, string? token, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(http.BaseAddress + path, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }));
        if (token is not null)
        {
            request.Headers.Authorization = Basic(token);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var shown = $"{method} /{path}" + (token is null ? " (token in the JSON body)" : $" with {KeyDisplay.Redact(token)}");
        await context.Out.WriteLineAsync($"   {what}:");
        await context.Out.WriteLineAsync($"     {shown}");
        await context.Out.WriteLineAsync($"     → {(int)response.StatusCode} {Summarise(text)}");
    }

    private static string Summarise(string body)
    {
        try
        {
            var json = JsonDocument.Parse(body).RootElement;
            if (json.ValueKind == JsonValueKind.Object && json.TryGetProperty("detail", out var detail))
            {
                return $"{json.GetProperty("title").GetString()}: {detail.GetString()}";
            }

            if (json.ValueKind == JsonValueKind.Object && json.TryGetProperty("message", out var message))
            {
                return $"{json.GetProperty("name").GetString()}: {message.GetString()}";
            }

            if (json.ValueKind == JsonValueKind.Object && json.TryGetProperty("email_address", out var email))
            {
                return $"{email.GetString()} is {json.GetProperty("status").GetString()}";
            }

            if (json.ValueKind == JsonValueKind.Array && json.GetArrayLength() > 0 && json[0].TryGetProperty("status", out var status))
            {
                return $"{json[0].GetProperty("email").GetString()}: {status.GetString()}";
            }
        }
        catch (JsonException)
        {
            // not JSON: show the start of it
        }

        return body.Length > 120 ? body[..120] + "…" : body;
    }

    public static AuthenticationHeaderValue Basic(string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("demo:" + secret)));
}
