using Keywarden.Core.Keys;

namespace Keywarden.Core.Policy;

/// <summary>
/// Judges requests against a <see cref="TokenPolicy"/>. The gateway should compile each policy once
/// (<see cref="Compile(TokenPolicy, UpstreamKind)"/>) and evaluate the compiled form; see <see cref="CompiledPolicy"/>
/// for the rules and their order.
/// </summary>
public static class PolicyEvaluator
{
    /// <summary>Compiles <paramref name="policy"/> and judges one request; convenient, but compiles every time.</summary>
    public static PolicyDecision Evaluate(TokenPolicy policy, RequestFacts facts) => CompiledPolicy.Compile(policy).Evaluate(facts);

    /// <summary>Compiles a policy for repeated evaluation. Same as <see cref="CompiledPolicy.Compile(TokenPolicy)"/>.</summary>
    public static CompiledPolicy Compile(TokenPolicy policy) => CompiledPolicy.Compile(policy);

    /// <summary>Compiles a policy pinned to its upstream's API. Same as <see cref="CompiledPolicy.Compile(TokenPolicy, UpstreamKind)"/>.</summary>
    public static CompiledPolicy Compile(TokenPolicy policy, UpstreamKind api) => CompiledPolicy.Compile(policy, api);
}
