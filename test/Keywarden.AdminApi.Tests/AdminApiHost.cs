using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Keywarden.AdminApi.Auth;
using Keywarden.Application;
using Keywarden.Mailchimp;
using Keywarden.Testing;
using Microsoft.Extensions.Logging;

namespace Keywarden.AdminApi.Tests;

/// <summary>The admin API on a loopback port over a <see cref="KeywardenHost"/> (sandbox, vault, gateway), as <c>serve</c> composes them.</summary>
internal sealed class AdminApiHost : IAsyncDisposable
{
    /// <summary>Password hashing cheap enough for tests (1 MiB, one pass); the production cost has its own test.</summary>
    public static readonly OperatorServiceOptions Cheap = new() { PasswordMemoryKib = 1024, PasswordPasses = 1 };

    private AdminApiHost(KeywardenHost gateway, OperatorService operators, AdminApiServer api, HttpClient client)
    {
        Operators = operators;
        Gateway = gateway;
        Api = api;
        Client = client;
    }

    public KeywardenHost Gateway { get; }

    public AdminApiServer Api { get; }

    /// <summary>The operator accounts the API serves.</summary>
    public OperatorService Operators { get; }

    public HttpClient Client { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Starts it with <paramref name="authenticator"/>: the fixed test tokens by default, or real operator sessions (<see cref="WithOperators"/>).</summary>
    public static async Task<AdminApiHost> StartAsync(
        ILoggerFactory? loggerFactory = null, Func<OperatorService, IAdminAuthenticator>? authenticator = null, TimeProvider? operatorTime = null)
    {
        var gateway = await KeywardenHost.StartAsync(loggerFactory: loggerFactory);
        try
        {
            var options = AdminApiOptions.Parse("127.0.0.1:0", null, null)!;
            var operators = new OperatorService(gateway.Vault.Store, gateway.Vault.MasterKey, operatorTime ?? TimeProvider.System, Cheap);
            var api = await AdminApiServer.StartAsync(
                options, gateway.Vault, operators, authenticator?.Invoke(operators) ?? new TestAuthenticator(), MailchimpApis.Catalog,
                loggerFactory: loggerFactory, cancellationToken: Ct);
            return new AdminApiHost(gateway, operators, api, new HttpClient { BaseAddress = api.Address });
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
    }

    /// <summary>The authenticator of <c>serve</c>: operator sessions and machine credentials.</summary>
    public static IAdminAuthenticator WithOperators(OperatorService operators) => new OperatorAuthenticator(operators);

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await Client.SendAsync(request, Ct);
    }

    /// <summary>Sends and reads the JSON answer, checking the status.</summary>
    public async Task<JsonElement> JsonAsync(HttpMethod method, string path, string? token, object? body = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await SendAsync(method, path, token, body);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"{method} {path}: expected {expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Api.DisposeAsync();
        await Gateway.DisposeAsync();
    }
}
