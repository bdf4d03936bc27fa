using System.Text.Json.Nodes;

namespace Keywarden.Sandbox.Transactional;

/// <summary>A Mandrill error: {"status":"error","code":…,"name":…,"message":…}.</summary>
internal sealed record MandrillError(int Code, string Name, string Message)
{
    public const string InvalidKeyName = "Invalid_Key";
    public const string ValidationErrorName = "ValidationError";

    public static MandrillError MissingKey() => new(-1, InvalidKeyName, "You must specify a key value");

    public static MandrillError InvalidKey() => new(-1, InvalidKeyName, "Invalid API key");

    public static MandrillError UnknownMethod(string method) =>
        new(-1, "Unknown_Method", $"You have called a method that does not exist: \"{method}\"");

    /// <summary>Mandrill's wording: "Validation error: " and the offending fields as JSON.</summary>
    public static MandrillError Validation(JsonObject fields) =>
        new(-2, ValidationErrorName, "Validation error: " + fields.ToJsonString());

    public static MandrillError Validation(string message) => new(-2, ValidationErrorName, message);

    public JsonObject ToJson() => new()
    {
        ["status"] = "error",
        ["code"] = Code,
        ["name"] = Name,
        ["message"] = Message,
    };

    public int HttpStatus(TransactionalErrorStatusCodes codes) => (codes, Name) switch
    {
        (TransactionalErrorStatusCodes.Current, InvalidKeyName) => 401,
        (TransactionalErrorStatusCodes.Current, ValidationErrorName) => 400,
        _ => 500,
    };
}
