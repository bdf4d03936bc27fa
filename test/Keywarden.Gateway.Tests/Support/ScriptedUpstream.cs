using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Keywarden.Gateway.Tests;

/// <summary>
/// An upstream that answers as a test says and records every header it received, for what the sandbox's request log
/// deliberately leaves out (Cookie, Proxy-Authorization, headers named by Connection) or cannot be made to do
/// (answer 429 with Retry-After).
/// </summary>
internal sealed class ScriptedUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _incomplete;

    private ScriptedUpstream(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Requests whose body never arrived whole (the connection was cut): started, never recorded in <see cref="Requests"/>.</summary>
    public int Incomplete => Volatile.Read(ref _incomplete);

    public ConcurrentQueue<Received> Requests { get; } = new();

    public static async Task<ScriptedUpstream> StartAsync(Func<HttpContext, Task> answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        ScriptedUpstream? self = null;
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            try
            {
                await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or BadHttpRequestException)
            {
                Interlocked.Increment(ref self!._incomplete);
                throw;
            }

            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
            self!.Requests.Enqueue(new Received(context.Request.Method, target, headers, body.ToArray()));
            await answer(context);
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new ScriptedUpstream(app, new Uri(address + "/"));
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    internal sealed record Received(string Method, string Target, IReadOnlyDictionary<string, string> Headers, byte[] Body);
}
