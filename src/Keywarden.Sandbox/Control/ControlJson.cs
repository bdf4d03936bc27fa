using System.Text.Json.Nodes;

namespace Keywarden.Sandbox.Control;

/// <summary>How the control API shows the sandbox's state (snake_case, ISO 8601 times).</summary>
internal static class ControlJson
{
    public static JsonObject Account(SandboxAccount account) => new()
    {
        ["account_id"] = account.AccountId,
        ["name"] = account.Name,
        ["datacenter"] = account.Datacenter,
        ["username"] = account.Username,
        ["login_id"] = account.LoginId,
        ["email"] = account.Email,
        ["created_at"] = account.CreatedAt,
    };

    public static JsonObject Key(SandboxKeyInfo key) => new()
    {
        ["key_id"] = key.KeyId,
        ["account_id"] = key.AccountId,
        ["kind"] = Kind(key.Kind),
        ["name"] = key.Name,
        ["prefix"] = key.Prefix,
        ["state"] = key.State == SandboxKeyState.Active ? "active" : "revoked",
        ["created_at"] = key.CreatedAt,
        ["revoked_at"] = key.RevokedAt,
    };

    /// <summary>The only answer that carries the full key: the one to the request that created it.</summary>
    public static JsonObject CreatedKey(CreatedSandboxKey created)
    {
        var json = Key(created.Info);
        json["key"] = created.Key;
        return json;
    }

    public static JsonObject Request(RecordedRequest request)
    {
        var headers = new JsonObject();
        foreach (var (name, value) in request.Headers)
        {
            headers[name.ToLowerInvariant()] = value;
        }

        var operations = new JsonArray();
        foreach (var operation in request.BatchOperations)
        {
            operations.Add((JsonNode)new JsonObject
            {
                ["method"] = operation.Method,
                ["path"] = operation.Path,
                ["operation_id"] = operation.OperationId,
                ["status"] = operation.Status,
            });
        }

        return new JsonObject
        {
            ["time"] = request.Time,
            ["method"] = request.Method,
            ["effective_method"] = request.EffectiveMethod,
            ["path"] = request.Path,
            ["query"] = request.Query,
            ["api"] = request.Api,
            ["key_id"] = request.KeyId,
            ["account_id"] = request.AccountId,
            ["auth_scheme"] = request.AuthScheme,
            ["status"] = request.Status,
            ["headers"] = headers,
            ["batch_operations"] = operations,
        };
    }

    public static JsonObject Message(SentMessage message)
    {
        var recipients = new JsonArray();
        foreach (var recipient in message.Recipients)
        {
            recipients.Add((JsonNode)new JsonObject
            {
                ["email"] = recipient.Email,
                ["type"] = recipient.Type,
                ["status"] = recipient.Status,
                ["_id"] = recipient.MessageId,
            });
        }

        return new JsonObject
        {
            ["time"] = message.Time,
            ["account_id"] = message.AccountId,
            ["key_id"] = message.KeyId,
            ["method"] = message.Method,
            ["template_name"] = message.TemplateName,
            ["from_email"] = message.FromEmail,
            ["subject"] = message.Subject,
            ["recipients"] = recipients,
        };
    }

    public static string Kind(SandboxKeyKind kind) => kind == SandboxKeyKind.Marketing ? "marketing" : "transactional";
}
