using System.Text;
using Keywarden.Bench;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

// The fixed, fast upstream of bench/gateway.sh: every method and path gets 200 and Mailchimp's
// ping body, so what the benchmark measures is the proxy in front of it, not the upstream.
// Usage: Keywarden.Bench.Upstream [http://127.0.0.1:PORT] (or BENCH_UPSTREAM_URL).
var listen = LoopbackUrl.Read(args, 0, "BENCH_UPSTREAM_URL", "http://127.0.0.1:5601");
var body = Encoding.UTF8.GetBytes("""{"health_status":"Everything's Chimpy!"}""");

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseUrls(listen.GetLeftPart(UriPartial.Authority));
builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

var app = builder.Build();
app.Run(context =>
{
    context.Response.StatusCode = StatusCodes.Status200OK;
    context.Response.ContentType = "application/json; charset=utf-8";
    context.Response.ContentLength = body.Length;
    return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
});

await app.RunAsync();
