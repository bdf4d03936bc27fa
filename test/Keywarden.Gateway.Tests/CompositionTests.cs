using System.Net;
using Keywarden.Application;
using Keywarden.Gateway.Hosting;
using Keywarden.Mailchimp.Gateway;
using Keywarden.Gateway.Audit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Keywarden.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Keywarden.Gateway.Tests;

/// <summary>
/// The gateway composed into a host of someone else's (as the admin API will be): AddKeywardenGateway and
/// MapKeywardenGateway serve the API listener's connections, and pass those of a listener with another role on to what
/// the host maps next.
/// </summary>
public sealed class CompositionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AHostWithTheGatewayAndAnotherService_ServesEachOnItsOwnListener()
    {
        await using var gw = await KeywardenHost.StartAsync();
        var issued = await gw.IssueAsync("news");
        var options = new GatewayOptions();
        options.Urls.Add("http://127.0.0.1:0");

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Listen(IPAddress.Loopback, 0, listen => listen.Use(next => connection =>
            {
                connection.Items[ListenerRole.Key] = "admin";
                return next(connection);
            }));
        });
        builder.Services
            .AddKeywardenGateway(options, new GatewaySnapshotSource(gw.Vault.Store, gw.Vault.MasterKey), gw.Store, TimeProvider.System, new AuditQueueOptions())
            .AddMailchimpApis();
        await using var app = builder.Build();
        app.MapKeywardenGateway(listenerRoles: true);
        app.Run(context => context.Response.WriteAsync("the admin API", Ct));
        await app.StartKeywardenGatewayAsync(Ct);
        await app.StartAsync(Ct);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a)).ToList();
        using var http = new HttpClient();

        var answers = new List<(HttpStatusCode Status, string Body)>();
        foreach (var address in addresses)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(address, "/3.0/ping"));
            request.Headers.Authorization = BasicAuth.Header(issued.Token.Value);
            using var response = await http.SendAsync(request, Ct);
            answers.Add((response.StatusCode, await response.Content.ReadAsStringAsync(Ct)));
        }

        await app.StopAsync(Ct);
        Assert.Equal(2, answers.Count);
        Assert.Contains(answers, a => a.Status == HttpStatusCode.OK && a.Body.Contains("Everything's Chimpy", StringComparison.Ordinal));
        Assert.Contains(answers, a => a.Status == HttpStatusCode.OK && a.Body == "the admin API");
        Assert.Single(gw.Received); // only the gateway's listener forwarded
    }
}
