using System.Text;
using System.Text.Json.Nodes;
using Keywarden.Testing;

namespace Keywarden.Sandbox.Tests;

/// <summary>A sandbox on a random loopback port with one account and one key of each kind, and an HTTP client.</summary>
internal sealed class SandboxHarness : IAsyncDisposable
{
    private SandboxHarness(SandboxServer server)
    {
        Server = server;
        Http = Loopback.Client(server.BaseAddress);
        Account = State.CreateAccount("Acme", "us21");
        MarketingKey = State.CreateKey(Account.AccountId, SandboxKeyKind.Marketing, "app");
        TransactionalKey = State.CreateKey(Account.AccountId, SandboxKeyKind.Transactional, "mail");
    }

    public SandboxServer Server { get; }

    public SandboxState State => Server.State;

    public HttpClient Http { get; }

    public SandboxAccount Account { get; }

    public CreatedSandboxKey MarketingKey { get; }

    public CreatedSandboxKey TransactionalKey { get; }

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<SandboxHarness> StartAsync(Action<SandboxOptions>? configure = null)
    {
        var options = new SandboxOptions { LoggerFactory = Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance };
        configure?.Invoke(options);
        return new SandboxHarness(await SandboxServer.StartAsync(options, Ct));
    }

    public HttpRequestMessage MarketingRequest(HttpMethod method, string path, string? json = null, string? key = null)
    {
        var request = new HttpRequestMessage(method, "3.0/" + path.TrimStart('/'));
        request.Headers.Authorization = BasicAuth.Header(key ?? MarketingKey.Key);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return request;
    }

    public Task<Reply> MarketingAsync(HttpMethod method, string path, string? json = null, string? key = null) =>
        SendAsync(MarketingRequest(method, path, json, key));

    public Task<Reply> TransactionalAsync(string method, JsonObject body, string version = "1.0", string suffix = ".json", string? key = null)
    {
        if (!body.ContainsKey("key"))
        {
            body["key"] = key ?? TransactionalKey.Key;
        }

        var request = new HttpRequestMessage(HttpMethod.Post, $"api/{version}/{method}{suffix}")
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        return SendAsync(request);
    }

    public async Task<Reply> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            var response = await Http.SendAsync(request, Ct);
            var text = await response.Content.ReadAsStringAsync(Ct);
            return new Reply(response, text);
        }
    }

    /// <summary>A list with the fields Mailchimp requires.</summary>
    public async Task<string> CreateListAsync(string name = "Newsletter", string? key = null)
    {
        var reply = await MarketingAsync(HttpMethod.Post, "lists", ListJson(name), key);
        Assert.Equal(200, reply.Status);
        return reply.Json!["id"]!.GetValue<string>();
    }

    public async Task AddMemberAsync(string listId, string email, string status = "subscribed", string? firstName = null)
    {
        var body = new JsonObject { ["email_address"] = email, ["status"] = status };
        if (firstName is not null)
        {
            body["merge_fields"] = new JsonObject { ["FNAME"] = firstName };
        }

        var reply = await MarketingAsync(HttpMethod.Post, $"lists/{listId}/members", body.ToJsonString());
        Assert.Equal(200, reply.Status);
    }

    public static string ListJson(string name) => new JsonObject
    {
        ["name"] = name,
        ["contact"] = new JsonObject
        {
            ["company"] = "Acme",
            ["address1"] = "1 Main St",
            ["city"] = "Atlanta",
            ["state"] = "GA",
            ["zip"] = "30308",
            ["country"] = "US",
        },
        ["permission_reminder"] = "You signed up on our site.",
        ["campaign_defaults"] = new JsonObject
        {
            ["from_name"] = "Acme",
            ["from_email"] = "news@acme.example",
            ["subject"] = "News",
            ["language"] = "en",
        },
        ["email_type_option"] = false,
    }.ToJsonString();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
