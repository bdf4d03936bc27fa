namespace Keywarden.Core.Policy;

/// <summary>The verdict on one request.</summary>
/// <param name="Allowed">True only when every rule passed.</param>
/// <param name="Rule">The deciding rule: <see cref="DecisionRule.Allowed"/>, or the first rule that refused.</param>
/// <param name="Reason">
/// Short human text for the client, logs and audit, never a secret, e.g.
/// <c>path /automations is not in the token's allowed paths</c>.
/// </param>
public readonly record struct PolicyDecision(bool Allowed, DecisionRule Rule, string Reason)
{
    internal static PolicyDecision Allow { get; } = new(true, DecisionRule.Allowed, "allowed");

    internal static PolicyDecision Deny(DecisionRule rule, string reason) => new(false, rule, reason);
}
