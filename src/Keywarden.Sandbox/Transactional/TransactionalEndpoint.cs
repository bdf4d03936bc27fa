using System.Text;
using System.Text.Json.Nodes;
using Keywarden.Sandbox.Common;
using Microsoft.AspNetCore.Http;

namespace Keywarden.Sandbox.Transactional;

/// <summary>
/// HTTP front of the Transactional (Mandrill) API: POST /api/1.0|1.3/{group}/{method}[.json|.yaml|.php|.xml],
/// key in the JSON or form body. Every request is recorded.
/// </summary>
internal sealed class TransactionalEndpoint
{
    private static readonly string[] Versions = ["1.0", "1.3"];
    private readonly SandboxState _state;
    private readonly TransactionalErrorStatusCodes _errorStatusCodes;
    private readonly Dictionary<string, Func<TransactionalRequest, TransactionalResult>> _methods = new(StringComparer.OrdinalIgnoreCase)
    {
        ["users/ping"] = UsersMethods.Ping,
        ["users/ping2"] = UsersMethods.Ping2,
        ["users/info"] = UsersMethods.Info,
        ["users/senders"] = UsersMethods.Senders,
        ["messages/send"] = MessagesMethods.Send,
        ["messages/send-template"] = MessagesMethods.SendTemplate,
        ["templates/add"] = TemplatesMethods.Add,
        ["templates/info"] = TemplatesMethods.Info,
        ["templates/list"] = TemplatesMethods.List,
        ["templates/delete"] = TemplatesMethods.Delete,
    };

    public TransactionalEndpoint(SandboxState state, TransactionalErrorStatusCodes errorStatusCodes)
    {
        _state = state;
        _errorStatusCodes = errorStatusCodes;
    }

    public Task HandleAsync(HttpContext context) => RequestRecorder.HandleAsync(_state, context, "transactional", HandleCoreAsync);

    private async Task HandleCoreAsync(HttpContext context, RequestLogEntry entry)
    {
        var request = context.Request;
        if (!TryParsePath(request.Path.Value ?? "", out var methodName, out var format))
        {
            await WriteAsync(context, MandrillError.UnknownMethod(methodName), OutputFormat.Json);
            return;
        }

        if (!HttpMethods.IsPost(request.Method))
        {
            context.Response.Headers.Allow = "POST";
            await WriteAsync(context, MandrillError.Validation("Mandrill API calls must be made with POST"), format, status: 405);
            return;
        }

        if (!_methods.TryGetValue(methodName, out var handler))
        {
            await WriteAsync(context, MandrillError.UnknownMethod(methodName), format);
            return;
        }

        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(context.RequestAborted);
        JsonObject body;
        if (request.HasFormContentType)
        {
            body = FormBody.Parse(text);
        }
        else if (string.IsNullOrWhiteSpace(text))
        {
            body = [];
        }
        else if (JsonBody.TryParse(text, out var valid) is JsonObject json)
        {
            body = json;
        }
        else
        {
            var message = valid ? "The request body must be a JSON object" : "The request body could not be parsed as JSON";
            await WriteAsync(context, MandrillError.Validation(message), format);
            return;
        }

        entry.AuthScheme = "body";
        if (body.GetString("key") is not { Length: > 0 } key)
        {
            await WriteAsync(context, MandrillError.MissingKey(), format);
            return;
        }

        var resolution = _state.ResolveTransactionalKey(key);
        entry.Key = resolution.Key;
        if (!resolution.IsAccepted)
        {
            await WriteAsync(context, MandrillError.InvalidKey(), format);
            return;
        }

        if (format == OutputFormat.Xml)
        {
            await WriteAsync(context, MandrillError.Validation("The sandbox does not simulate XML output; use .json, .yaml, .php or no suffix"), OutputFormat.Json);
            return;
        }

        await _state.PassGateAsync(context.RequestAborted);
        var result = handler(new TransactionalRequest
        {
            State = _state,
            Account = resolution.Account!,
            Key = resolution.Key!,
            Method = methodName.ToLowerInvariant(),
            Body = body,
        });
        if (result.Error is not null)
        {
            await WriteAsync(context, result.Error, format);
            return;
        }

        await WriteValueAsync(context, 200, result.Value, format);
    }

    /// <summary>/api/1.0/users/ping.json → users/ping, Json. False (with the method as far as read) when the path is no Mandrill method.</summary>
    private static bool TryParsePath(string path, out string method, out OutputFormat format)
    {
        format = OutputFormat.Json;
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        method = parts.Length > 2 ? string.Join('/', parts[2..]) : "";
        if (parts.Length != 4 || parts[0] != "api" || !Versions.Contains(parts[1]))
        {
            return false;
        }

        var last = parts[3];
        var dot = last.LastIndexOf('.');
        if (dot >= 0)
        {
            OutputFormat? parsed = last[(dot + 1)..].ToLowerInvariant() switch
            {
                "json" => OutputFormat.Json,
                "yaml" => OutputFormat.Yaml,
                "php" => OutputFormat.Php,
                "xml" => OutputFormat.Xml,
                _ => null,
            };
            if (parsed is null)
            {
                return false;
            }

            format = parsed.Value;
            last = last[..dot];
        }

        method = parts[2] + "/" + last;
        return true;
    }

    private Task WriteAsync(HttpContext context, MandrillError error, OutputFormat format, int? status = null) =>
        WriteValueAsync(context, status ?? error.HttpStatus(_errorStatusCodes), error.ToJson(), format);

    private static async Task WriteValueAsync(HttpContext context, int status, JsonNode? value, OutputFormat format)
    {
        switch (format)
        {
            case OutputFormat.Php:
                var bytes = Encoding.UTF8.GetBytes(PhpSerializer.Serialize(value));
                context.Response.StatusCode = status;
                context.Response.ContentType = "application/x-php; charset=utf-8";
                context.Response.ContentLength = bytes.Length;
                await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
                break;
            case OutputFormat.Yaml:
                await JsonResponses.WriteAsync(context.Response, status, value, "application/x-yaml; charset=utf-8");
                break;
            default:
                await JsonResponses.WriteAsync(context.Response, status, value);
                break;
        }
    }
}
