using System.Text.Json.Nodes;

namespace Keywarden.Sandbox.Marketing;

/// <summary>Marketing API errors in Mailchimp's problem+json shape (type, title, status, detail, instance).</summary>
internal static class Problems
{
    public const string TypeUri = "https://mailchimp.com/developer/marketing/docs/errors/";

    public const string InvalidKeyDetail = "Your API key may be invalid, or you've attempted to access the wrong datacenter.";

    public static MarketingResult ApiKeyMissing() =>
        Create(401, "API Key Missing", "Your request did not include an API key.");

    public static MarketingResult ApiKeyInvalid() => Create(401, "API Key Invalid", InvalidKeyDetail);

    public static MarketingResult NotFound() =>
        Create(404, "Resource Not Found", "The requested resource could not be found.");

    public static MarketingResult MethodNotAllowed(IEnumerable<string> allowed) =>
        Create(
            405,
            "Method Not Allowed",
            "The requested method and resource are not compatible. See the Allow header for this resource's available methods.",
            allow: string.Join(", ", allowed));

    public static MarketingResult InvalidMethodOverride() =>
        Create(422, "Invalid Method Override", "You can only use the X-HTTP-Method-Override header with the POST method.");

    public static MarketingResult JsonParseError() =>
        Create(400, "JSON Parse Error", "We encountered an unspecified JSON parsing error.");

    public static MarketingResult InvalidResource(IReadOnlyList<FieldError> errors, string? detail = null)
    {
        var array = new JsonArray();
        foreach (var error in errors)
        {
            array.Add((JsonNode)new JsonObject { ["field"] = error.Field, ["message"] = error.Message });
        }

        return Create(
            400,
            "Invalid Resource",
            detail ?? "The resource submitted could not be validated. For field-specific details, see the 'errors' array.",
            errors: array);
    }

    public static MarketingResult InvalidResource(string field, string message, string? detail = null) =>
        InvalidResource([new FieldError(field, message)], detail);

    public static MarketingResult MemberExists(string email) =>
        Create(400, "Member Exists", $"{email} is already a list member. Use PUT to insert or update list members.");

    public static MarketingResult ForgottenEmail(string email) =>
        Create(
            400,
            "Forgotten Email Not Subscribed",
            $"{email} was permanently deleted and cannot be re-imported. The contact must re-subscribe to get back on the list.");

    public static MarketingResult TooManyRequests(int limit) =>
        Create(429, "Too Many Requests", $"You have exceeded the limit of {limit} simultaneous connections.");

    public static MarketingResult Create(int status, string title, string detail, JsonArray? errors = null, string? allow = null)
    {
        var problem = new JsonObject
        {
            ["type"] = TypeUri,
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
            ["instance"] = Guid.NewGuid().ToString(),
        };
        if (errors is not null)
        {
            problem["errors"] = errors;
        }

        return MarketingResult.Problem(status, problem, allow);
    }
}
