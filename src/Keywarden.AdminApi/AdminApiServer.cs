using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Keywarden.AdminApi.Auth;
using Keywarden.AdminApi.Documents;
using Keywarden.AdminApi.Endpoints;
using Keywarden.AdminApi.Errors;
using Keywarden.AdminApi.Hosting;
using Keywarden.Application;
using Keywarden.Core.Providers;
using Keywarden.Rotation.Sinks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Keywarden.AdminApi;

/// <summary>
/// The admin API on its own Kestrel listener in the <c>serve</c> process: JSON under <c>/v1/</c>, every endpoint with a
/// declared role (default deny), problem+json errors, a 64 KiB body limit, and its OpenAPI document at <c>/v1/openapi.json</c>.
/// </summary>
public sealed class AdminApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly X509Certificate2? _certificate;

    private AdminApiServer(WebApplication app, Uri address, X509Certificate2? certificate)
    {
        _app = app;
        _certificate = certificate;
        Address = address;
    }

    /// <summary>Where the API listens (port 0 resolved), with a trailing slash.</summary>
    public Uri Address { get; }

    /// <summary>Starts the admin API over an opened vault (which it does not own).</summary>
    /// <param name="options">Where to listen, and the certificate.</param>
    /// <param name="vault">The opened vault the endpoints serve.</param>
    /// <param name="operators">Operator accounts: logins, sessions, step-up, invitations, machine credentials.</param>
    /// <param name="authenticator">Who a bearer token stands for (an <see cref="OperatorAuthenticator"/> over <paramref name="operators"/>).</param>
    /// <param name="apis">The upstream APIs (their names for the <c>kind</c> of an upstream).</param>
    /// <param name="timeProvider">The clock; the system's by default.</param>
    /// <param name="keySource">Where the vault's master key comes from, for <c>POST /v1/master/rotate</c> (refused without it).</param>
    /// <param name="loggerFactory">
    /// Where to log; framework categories below Warning are not written (a request path may carry an id someone typed
    /// wrongly, and hosting's request lines are not needed).
    /// </param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<AdminApiServer> StartAsync(
        AdminApiOptions options, KeywardenVault vault, OperatorService operators, IAdminAuthenticator authenticator, UpstreamApiCatalog apis,
        TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null, MasterKeySource? keySource = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(vault);
        ArgumentNullException.ThrowIfNull(operators);
        ArgumentNullException.ThrowIfNull(authenticator);
        ArgumentNullException.ThrowIfNull(apis);
        var certificate = options.TlsCertificateFile is { } file ? X509Certificate2.CreateFromPemFile(file, options.TlsKeyFile) : null;
        ListenOptions? listener = null;

        // As the gateway: no appsettings.json or ASPNETCORE_* variable can add a listener or change a limit.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(AdminApiServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(options.Endpoint, listen =>
            {
                listen.Protocols = certificate is null ? HttpProtocols.Http1 : HttpProtocols.Http1AndHttp2;
                if (certificate is not null)
                {
                    listen.UseHttps(https =>
                    {
                        https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
                        https.ServerCertificate = certificate;
                    });
                }

                listener = listen;
            });
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = AdminApiOptions.MaxRequestBodyBytes;
        });
        builder.Logging.ClearProviders();
        if (loggerFactory is not null)
        {
            // As the gateway: framework categories only from Warning up, hosting's request lines and RequestPath scope not
            // at all, and a failed start (a taken port) is the caller's to report, once.
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
            builder.Logging.AddProvider(new CallerLoggerProvider(loggerFactory));
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
            builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        }

        builder.Services.AddSingleton(authenticator);
        builder.Services.AddSingleton(new AdminApiContext(vault, operators, timeProvider ?? TimeProvider.System, apis, keySource));
        builder.Services.AddSingleton<IKeySinkFactory>(new KeySinkFactory());
        builder.Services.ConfigureHttpJsonOptions(json => DocumentJson.Configure(json.SerializerOptions));
        builder.Services.AddOpenApi("v1", openApi =>
        {
            openApi.AddOperationTransformer<AccessOperationTransformer>();
            openApi.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Keywarden admin API";
                document.Info.Version = "v1";
                return Task.CompletedTask;
            });
        });

        var app = builder.Build();
        app.UseMiddleware<AdminErrorMiddleware>();
        app.UseRouting();
        app.UseMiddleware<AdminAuthorizationMiddleware>();
        app.MapOpenApi("/v1/openapi.json").Anonymous().ExcludeFromDescription();
        var v1 = app.MapGroup("/v1");
        UpstreamEndpoints.Map(v1);
        TokenEndpoints.Map(v1);
        AlertEndpoints.Map(v1);
        AuditEndpoints.Map(v1);
        AuthEndpoints.Map(v1);
        OperatorEndpoints.Map(v1);
        NotifyEndpoints.Map(v1);
        MasterEndpoints.Map(v1);
        RotationEndpoints.Map(v1);
        SinkEndpoints.Map(v1);

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            certificate?.Dispose();
            throw;
        }

        var port = (listener?.EndPoint as IPEndPoint)?.Port ?? options.Endpoint.Port;
        var host = options.Endpoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{options.Endpoint.Address}]"
            : options.Endpoint.Address.ToString();
        var address = new Uri($"{(certificate is null ? "http" : "https")}://{host}:{port}/");
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<AdminApiServer>();
        Log.Listening(logger, address);
        return new AdminApiServer(app, address, certificate);
    }

    /// <summary>Stops accepting and lets requests in flight finish.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _certificate?.Dispose();
    }
}
