using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keywarden.AdminApi.Documents;
using Keywarden.Application;
using Keywarden.Cli.Commands;
using Keywarden.Cli.Infrastructure;

namespace Keywarden.Cli.Remote;

/// <summary>
/// The CLI's way to the admin API (remote mode): bearer token on every request, a problem+json answer turned into the
/// words the local mode prints (exit 2), and a refused step-up answered by asking for a TOTP code and retrying once.
/// </summary>
internal sealed class AdminClient : IDisposable
{
    /// <summary>The address <c>keywarden login</c> uses when neither <c>--addr</c> nor <c>KEYWARDEN_ADDR</c> says one.</summary>
    public const string DefaultAddress = "http://127.0.0.1:8201/";

    private const string NotLoggedIn = "not logged in, or the session expired: keywarden login";

    private static readonly JsonSerializerOptions Wire = DocumentJson.CreateOptions(indented: false);

    private readonly CliContext _context;
    private readonly HttpClient _http;
    private readonly string? _token;

    public AdminClient(CliContext context, Uri address, string? token)
    {
        _context = context;
        _token = token;
        _http = new HttpClient { BaseAddress = WithSlash(address), Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Address => _http.BaseAddress!;

    /// <summary>
    /// The client for a command in remote mode (<c>KEYWARDEN_ADDR</c> set), with <c>KEYWARDEN_TOKEN</c> or the session
    /// of <c>keywarden login</c>; null in local mode.
    /// </summary>
    public static AdminClient? ForCommand(CliContext context)
    {
        if (context.RemoteAddress is not { } addr)
        {
            return null;
        }

        var address = ParseAddress(addr, context.AddressOption is null ? CliContext.RemoteVariable : "--addr");
        var token = context.GetEnvironment("KEYWARDEN_TOKEN") is { Length: > 0 } machine
            ? machine
            : SessionFile.Read(context)?.Token ?? throw new CliException(NotLoggedIn);
        return new AdminClient(context, address, token);
    }

    /// <summary>A client without a token for a command that brings its own credential (<c>operator join</c>); null in local mode.</summary>
    public static AdminClient? Anonymous(CliContext context) =>
        context.RemoteAddress is { } addr
            ? new AdminClient(context, ParseAddress(addr, context.AddressOption is null ? CliContext.RemoteVariable : "--addr"), token: null)
            : null;

    public static Uri ParseAddress(string text, string what) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? WithSlash(uri)
            : throw new CliException($"{what} must be the admin API's http(s) address, e.g. {DefaultAddress}");

    /// <summary>A form of a served command that has no endpoint: refused in remote mode rather than run against a local vault by mistake.</summary>
    public static void RefuseRemote(CliContext context, string command)
    {
        if (context.RemoteAddress is not null)
        {
            throw new CliException($"'{command}' is not available remotely: run it on the server, or unset KEYWARDEN_ADDR");
        }
    }

    public Task<JsonObject> GetAsync(string path, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, path, null, cancellationToken);

    public Task<JsonObject> PostAsync(string path, object? body, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, path, body, cancellationToken);

    public Task<JsonObject> DeleteAsync(string path, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, path, null, cancellationToken);

    private async Task<JsonObject> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken, bool steppedUp = false)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (_token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        }

        if (method == HttpMethod.Post)
        {
            request.Content = new StringContent(body is null ? "{}" : JsonSerializer.Serialize(body, Wire), Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return JsonNode.Parse(text) as JsonObject ?? throw new CliException($"the admin API at {Address} answered {path} with no JSON object");
        }

        var (code, detail) = Problem(text);
        if (response.StatusCode == HttpStatusCode.Forbidden && code == "step_up_required" && !steppedUp)
        {
            await StepUpAsync(cancellationToken);
            return await SendAsync(method, path, body, cancellationToken, steppedUp: true);
        }

        throw new CliException(Say(response.StatusCode, code, detail)) { ProblemCode = code };
    }

    /// <summary>Asks for a TOTP code (a prompt on a terminal, the next line of stdin when redirected) and steps the session up.</summary>
    private async Task StepUpAsync(CancellationToken cancellationToken)
    {
        var code = await OperatorJoin.AskAsync(_context, "This needs a fresh second factor: the 6-digit code your app shows now", secret: true, cancellationToken);
        await SendAsync(HttpMethod.Post, "v1/auth/step-up", new { code }, cancellationToken, steppedUp: true);
    }

    /// <summary>The local mode's words for the problem's code where there are some, else the server's detail.</summary>
    private static string Say(HttpStatusCode status, string? code, string? detail)
    {
        if (status == HttpStatusCode.Unauthorized && code != "login_failed")
        {
            return NotLoggedIn;
        }

        var vault = Enum.GetValues<VaultErrorCode>().Select(c => (VaultErrorCode?)c)
            .FirstOrDefault(c => JsonNamingPolicy.SnakeCaseLower.ConvertName(c!.Value.ToString()) == code);
        return vault switch
        {
            VaultErrorCode.LoginFailed or VaultErrorCode.SessionInvalid or VaultErrorCode.StepUpRequired =>
                VaultWords.Say(new VaultException(vault.Value)),
            _ when detail is { Length: > 0 } => detail,
            _ => $"the admin API refused the request ({(int)status} {code ?? status.ToString()})",
        };
    }

    private static (string? Code, string? Detail) Problem(string text)
    {
        try
        {
            var problem = JsonNode.Parse(text);
            return (problem?["code"]?.GetValue<string>(), problem?["detail"]?.GetValue<string>());
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static Uri WithSlash(Uri uri) => uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");

    public void Dispose() => _http.Dispose();
}
