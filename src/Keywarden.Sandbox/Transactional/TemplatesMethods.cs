using System.Text.Json;
using System.Text.Json.Nodes;
using Keywarden.Sandbox.Common;
using Keywarden.Sandbox.State;

namespace Keywarden.Sandbox.Transactional;

/// <summary>templates/add, templates/info, templates/list, templates/delete: enough for messages/send-template.</summary>
internal static class TemplatesMethods
{
    public static TransactionalResult Add(TransactionalRequest request)
    {
        var body = request.Body;
        if (body.GetString("name") is not { Length: > 0 } name)
        {
            return MandrillError.Validation(new JsonObject { ["name"] = "Sorry, this field can't be left blank." });
        }

        var slug = Slug(name);
        lock (request.Account.Sync)
        {
            if (request.Account.Templates.ContainsKey(slug))
            {
                return new MandrillError(6, "Invalid_Template", $"A template with name \"{name}\" already exists");
            }

            var labels = body["labels"] is JsonArray array
                ? array.Select(l => l?.GetValueKind() == JsonValueKind.String ? l.GetValue<string>() : null).OfType<string>().ToList()
                : [];
            var template = new MandrillTemplate(
                slug,
                name,
                body.GetString("code"),
                body.GetString("subject"),
                body.GetString("from_email"),
                body.GetString("from_name"),
                body.GetString("text"),
                body["publish"] is not JsonValue publish || (publish.GetValueKind() != JsonValueKind.False && publish.ToString() != "false"),
                labels,
                request.Now);
            request.Account.Templates.Add(slug, template);
            return TransactionalResult.Ok(ToJson(template));
        }
    }

    public static TransactionalResult Info(TransactionalRequest request)
    {
        var name = request.Body.GetString("name") ?? "";
        var template = Find(request.Account, name);
        return template is null ? UnknownTemplate(name) : TransactionalResult.Ok(ToJson(template));
    }

    public static TransactionalResult List(TransactionalRequest request)
    {
        lock (request.Account.Sync)
        {
            return TransactionalResult.Ok(new JsonArray([.. request.Account.Templates.Values.Select(t => (JsonNode)ToJson(t))]));
        }
    }

    public static TransactionalResult Delete(TransactionalRequest request)
    {
        var name = request.Body.GetString("name") ?? "";
        lock (request.Account.Sync)
        {
            var template = Find(request.Account, name);
            if (template is null)
            {
                return UnknownTemplate(name);
            }

            request.Account.Templates.Remove(template.Slug);
            return TransactionalResult.Ok(ToJson(template));
        }
    }

    /// <summary>By slug or by name, as Mandrill resolves template_name.</summary>
    public static MandrillTemplate? Find(AccountData account, string name)
    {
        lock (account.Sync)
        {
            return account.Templates.GetValueOrDefault(name)
                ?? account.Templates.GetValueOrDefault(Slug(name))
                ?? account.Templates.Values.FirstOrDefault(t => t.Name == name);
        }
    }

    private static MandrillError UnknownTemplate(string name) => new(5, "Unknown_Template", $"No such template \"{name}\"");

    private static string Slug(string name) =>
        new string([.. name.Trim().ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]);

    private static JsonObject ToJson(MandrillTemplate template)
    {
        var created = UsersMethods.Format(template.CreatedAt);
        return new JsonObject
        {
            ["slug"] = template.Slug,
            ["name"] = template.Name,
            ["labels"] = new JsonArray([.. template.Labels.Select(l => (JsonNode)JsonValue.Create(l))]),
            ["code"] = template.Code,
            ["subject"] = template.Subject,
            ["from_email"] = template.FromEmail,
            ["from_name"] = template.FromName,
            ["text"] = template.Text,
            ["publish_name"] = template.Publish ? template.Name : null,
            ["publish_code"] = template.Publish ? template.Code : null,
            ["publish_subject"] = template.Publish ? template.Subject : null,
            ["publish_from_email"] = template.Publish ? template.FromEmail : null,
            ["publish_from_name"] = template.Publish ? template.FromName : null,
            ["publish_text"] = template.Publish ? template.Text : null,
            ["published_at"] = template.Publish ? created : null,
            ["created_at"] = created,
            ["updated_at"] = created,
        };
    }
}
