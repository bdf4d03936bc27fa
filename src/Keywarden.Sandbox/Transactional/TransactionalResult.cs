using System.Text.Json.Nodes;

namespace Keywarden.Sandbox.Transactional;

/// <summary>What a Transactional method answered: a value or a Mandrill error.</summary>
internal sealed class TransactionalResult
{
    private TransactionalResult(JsonNode? value, MandrillError? error)
    {
        Value = value;
        Error = error;
    }

    public JsonNode? Value { get; }

    public MandrillError? Error { get; }

    public static TransactionalResult Ok(JsonNode value) => new(value, null);

    public static TransactionalResult Fail(MandrillError error) => new(null, error);

    public static implicit operator TransactionalResult(MandrillError error) => Fail(error);
}
