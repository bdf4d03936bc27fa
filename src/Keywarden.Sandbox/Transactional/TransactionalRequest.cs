using System.Text.Json.Nodes;
using Keywarden.Sandbox.State;

namespace Keywarden.Sandbox.Transactional;

/// <summary>One authenticated Transactional call.</summary>
internal sealed class TransactionalRequest
{
    public required SandboxState State { get; init; }

    public required AccountData Account { get; init; }

    public required KeyRecord Key { get; init; }

    /// <summary>group/method, e.g. messages/send.</summary>
    public required string Method { get; init; }

    /// <summary>The parameters (JSON or form body), with the key.</summary>
    public required JsonObject Body { get; init; }

    public DateTimeOffset Now => State.TimeProvider.GetUtcNow();
}
