using System.Text.Json.Nodes;

namespace Keywarden.Sandbox.Marketing;

/// <summary>What a Marketing operation answered, before it is written to HTTP or to a batch result.</summary>
internal sealed class MarketingResult
{
    private MarketingResult(int status, JsonNode? body, bool isProblem, string? allow)
    {
        Status = status;
        Body = body;
        IsProblem = isProblem;
        Allow = allow;
    }

    public int Status { get; }

    public JsonNode? Body { get; }

    /// <summary>The body is application/problem+json.</summary>
    public bool IsProblem { get; }

    /// <summary>The Allow header of a 405.</summary>
    public string? Allow { get; }

    public bool IsSuccess => Status is >= 200 and < 300;

    /// <summary>Mailchimp answers creates with 200, not 201.</summary>
    public static MarketingResult Ok(JsonNode body) => new(200, body, isProblem: false, allow: null);

    public static MarketingResult NoContent() => new(204, body: null, isProblem: false, allow: null);

    public static MarketingResult Problem(int status, JsonObject problem, string? allow = null) =>
        new(status, problem, isProblem: true, allow);
}
