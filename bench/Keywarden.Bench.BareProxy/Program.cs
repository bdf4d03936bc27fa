using System.Net;
using Keywarden.Bench;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

// The baseline of bench/gateway.sh: YARP direct forwarding of every request to one upstream, with
// the same Kestrel and SocketsHttpHandler settings as the gateway and nothing else (no auth, no
// policy, no audit, no logging). Keywarden's budget is a fraction of what this achieves.
// Usage: Keywarden.Bench.BareProxy [listen URL] [upstream URL] (or BENCH_PROXY_URL, BENCH_UPSTREAM_URL).
var listen = LoopbackUrl.Read(args, 0, "BENCH_PROXY_URL", "http://127.0.0.1:5602");
var upstream = LoopbackUrl.Read(args, 1, "BENCH_UPSTREAM_URL", "http://127.0.0.1:5601");
var destinationPrefix = upstream.GetLeftPart(UriPartial.Authority);

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseUrls(listen.GetLeftPart(UriPartial.Authority));
builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
builder.Services.AddHttpForwarder();

var app = builder.Build();
var forwarder = app.Services.GetRequiredService<IHttpForwarder>();

// As Keywarden.Gateway's AddKeywardenGateway: no proxy, no redirects, no decompression, no cookies.
using var client = new HttpMessageInvoker(new SocketsHttpHandler
{
    UseProxy = false,
    AllowAutoRedirect = false,
    AutomaticDecompression = DecompressionMethods.None,
    UseCookies = false,
    ConnectTimeout = TimeSpan.FromSeconds(10),
    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    EnableMultipleHttp2Connections = true,
});
var requestConfig = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(100) };

app.Run(async context =>
{
    var error = await forwarder.SendAsync(context, destinationPrefix, client, requestConfig, HttpTransformer.Default);
    if (error != ForwarderError.None && !context.Response.HasStarted)
    {
        context.Response.StatusCode = StatusCodes.Status502BadGateway;
    }
});

await app.RunAsync();
