using Keywarden.Sandbox.Common;
using Keywarden.Sandbox.Control;
using Keywarden.Sandbox.Marketing;
using Keywarden.Sandbox.Transactional;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Keywarden.Sandbox;

/// <summary>
/// A running Mailchimp simulator: Marketing API 3.0 under /3.0/, Transactional (Mandrill) under /api/1.0/ and
/// /api/1.3/, and the control API under /_sandbox/. See the project's README for every endpoint.
/// </summary>
public sealed class SandboxServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _disposed;

    private SandboxServer(WebApplication app, SandboxState state, Uri baseAddress)
    {
        _app = app;
        State = state;
        BaseAddress = baseAddress;
    }

    /// <summary>Where the sandbox listens, with a trailing slash, e.g. http://127.0.0.1:54321/.</summary>
    public Uri BaseAddress { get; }

    public SandboxState State { get; }

    /// <summary>Binds <see cref="SandboxOptions.Urls"/> (port 0 picks a free port) and starts serving.</summary>
    public static async Task<SandboxServer> StartAsync(SandboxOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(SandboxServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });

        // Only the options decide where the sandbox listens: no appsettings.json or ASPNETCORE_URLS can widen it.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.Services.Configure<ConsoleLifetimeOptions>(lifetime => lifetime.SuppressStatusMessages = true);
        builder.Logging.ClearProviders();
        if (options.LoggerFactory is null)
        {
            // Warnings only: the host (the CLI) prints the address itself; pass a LoggerFactory for the info line.
            // On stderr: stdout is the sandbox's own output. A start that fails (a taken port) is reported by the caller in
            // one line from the exception; the host would log it first with its whole stack trace.
            builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
            builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        }
        else
        {
            builder.Services.AddSingleton(options.LoggerFactory);
        }

        var state = new SandboxState(options.TimeProvider);
        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SandboxServer).Namespace!);
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (SandboxException exception) when (!context.Response.HasStarted)
            {
                Log.ControlFailed(logger, context.Request.Method, context.Request.Path.Value ?? "", exception.Message);
                await ControlEndpoints.ErrorAsync(context, exception.IsNotFound ? 404 : 400, exception.Message);
            }
        });

        var marketing = new MarketingEndpoint(state, new MarketingRouter(), options.MaxConcurrentRequestsPerKey);
        app.Map("/3.0", marketing.HandleAsync);
        app.Map("/3.0/{**rest}", marketing.HandleAsync);
        app.Map("/api/{**rest}", new TransactionalEndpoint(state, options.TransactionalErrorStatusCodes).HandleAsync);
        new ControlEndpoints(state).Map(app);
        app.MapFallback(context => NotFoundAsync(state, context));

        await app.StartAsync(cancellationToken);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var baseAddress = new Uri(addresses.First().TrimEnd('/') + "/");
        Log.Listening(logger, baseAddress);
        return new SandboxServer(app, state, baseAddress);
    }

    /// <summary>Completes when the sandbox stops (Ctrl+C or SIGTERM for a console host, or <see cref="DisposeAsync"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Held requests would otherwise keep the server from stopping.
        State.CurrentHold?.Release();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Paths no API has: recorded (a gateway test may need to see them arrive) and answered 404.</summary>
    private static Task NotFoundAsync(SandboxState state, HttpContext context) =>
        RequestRecorder.HandleAsync(state, context, "other", (http, _) => ControlEndpoints.ErrorAsync(http, 404, "not found"));
}
