using System.Text.Json.Nodes;
using Keywarden.Sandbox.Common;

namespace Keywarden.Sandbox.Marketing;

/// <summary>Collects "Invalid Resource" errors in Mailchimp's wording.</summary>
internal sealed class Validator
{
    private readonly List<FieldError> _errors = [];

    public bool IsValid => _errors.Count == 0;

    public MarketingResult ToProblem(string? detail = null) => Problems.InvalidResource(_errors, detail);

    public void Add(string field, string message) => _errors.Add(new FieldError(field, message));

    /// <summary>Mailchimp reports missing required fields together: "Required fields were not provided: a, b".</summary>
    public void Required(JsonObject obj, string parent, params string[] names)
    {
        var missing = names.Where(n => obj[n] is null || (obj[n] is JsonValue v && JsonBody.KindOf(v) == "string" && v.GetValue<string>().Length == 0)).ToList();
        if (missing.Count > 0)
        {
            Add(parent, "Required fields were not provided: " + string.Join(", ", missing));
        }
    }

    /// <summary>When present, the field must be of the kind: "Schema describes string, integer found instead".</summary>
    public bool Kind(JsonObject obj, string field, string expected, string? path = null)
    {
        if (!obj.ContainsKey(field))
        {
            return true;
        }

        var actual = JsonBody.KindOf(obj[field]);
        if (actual == expected || (expected == "number" && actual == "integer"))
        {
            return true;
        }

        Add(path ?? field, $"Schema describes {expected}, {actual} found instead");
        return false;
    }

    public void OneOf(JsonObject obj, string field, IReadOnlyCollection<string> accepted)
    {
        if (Kind(obj, field, "string") && obj.GetString(field) is { } value && !accepted.Contains(value))
        {
            Add(field, "Data presented is not one of the accepted values: " + string.Join(", ", accepted) + ".");
        }
    }
}
