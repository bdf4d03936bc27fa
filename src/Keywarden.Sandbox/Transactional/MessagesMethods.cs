using System.Text.Json;
using System.Text.Json.Nodes;
using Keywarden.Sandbox.Common;

namespace Keywarden.Sandbox.Transactional;

/// <summary>messages/send and messages/send-template: validated like Mandrill, "sent" to nobody, recorded.</summary>
internal static class MessagesMethods
{
    public static TransactionalResult Send(TransactionalRequest request) => SendCore(request, templateName: null);

    public static TransactionalResult SendTemplate(TransactionalRequest request)
    {
        var body = request.Body;
        var invalid = new JsonObject();
        if (body.GetString("template_name") is not { Length: > 0 })
        {
            invalid["template_name"] = "Sorry, this field can't be left blank.";
        }

        if (body["template_content"] is not JsonArray)
        {
            invalid["template_content"] = "Please enter an array";
        }

        if (invalid.Count > 0)
        {
            return MandrillError.Validation(invalid);
        }

        var name = body.GetString("template_name")!;
        if (TemplatesMethods.Find(request.Account, name) is null)
        {
            return new MandrillError(5, "Unknown_Template", $"No such template \"{name}\"");
        }

        return SendCore(request, name);
    }

    private static TransactionalResult SendCore(TransactionalRequest request, string? templateName)
    {
        if (request.Body["message"] is not JsonObject message)
        {
            return MandrillError.Validation(new JsonObject { ["message"] = "Please enter an array" });
        }

        if (message["to"] is not JsonArray { Count: > 0 } to || to.Any(r => r is not JsonObject))
        {
            return MandrillError.Validation(new JsonObject { ["message"] = new JsonObject { ["to"] = "Please enter an array" } });
        }

        var fromEmail = message.GetString("from_email");
        if (fromEmail is not null && !Emails.IsValid(fromEmail))
        {
            return MandrillError.Validation(new JsonObject
            {
                ["message"] = new JsonObject { ["from_email"] = "An email address must contain a single @" },
            });
        }

        var queued = IsTrue(request.Body["async"]) || request.Body.GetString("send_at") is { Length: > 0 };
        var status = request.Body.GetString("send_at") is { Length: > 0 } ? "scheduled" : queued ? "queued" : "sent";
        var recipients = new List<SentRecipient>();
        var answer = new JsonArray();
        foreach (var recipient in to.Cast<JsonObject>())
        {
            var email = recipient.GetString("email") ?? "";
            var id = Ids.Hex(32);
            var recipientStatus = Emails.IsValid(email) ? status : "invalid";
            recipients.Add(new SentRecipient(email, recipient.GetString("type") ?? "to", recipientStatus, id));
            answer.Add((JsonNode)new JsonObject
            {
                ["email"] = email,
                ["status"] = recipientStatus,
                ["_id"] = id,
                ["reject_reason"] = null,
                ["queued_reason"] = recipientStatus == "queued" ? "async" : null,
            });
        }

        request.State.RecordSent(new SentMessage(
            request.Now,
            request.Account.Account.AccountId,
            request.Key.KeyId,
            request.Method,
            templateName,
            fromEmail,
            message.GetString("subject"),
            recipients));
        return TransactionalResult.Ok(answer);
    }

    private static bool IsTrue(JsonNode? node) => node is JsonValue value && value.GetValueKind() switch
    {
        JsonValueKind.True => true,
        JsonValueKind.String => value.GetValue<string>() is "true" or "1",
        JsonValueKind.Number => value.TryGetValue<double>(out var number) && number != 0,
        _ => false,
    };
}
