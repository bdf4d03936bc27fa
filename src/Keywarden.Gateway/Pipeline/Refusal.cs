using Keywarden.Gateway.Errors;

namespace Keywarden.Gateway.Pipeline;

/// <summary>Why a request is answered by the gateway instead of forwarded: the answer, the rule on record, words for the client.</summary>
public readonly record struct Refusal(GatewayRejection Rejection, string Rule, string? Detail, int? RetryAfter = null);
