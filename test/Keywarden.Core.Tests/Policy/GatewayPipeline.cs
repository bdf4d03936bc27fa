using System.Net;
using System.Text;
using Keywarden.Core.Keys;
using Keywarden.Core.Policy;
using Keywarden.Core.Requests;

namespace Keywarden.Core.Tests.Policy;

/// <summary>What the gateway does with a request, minus HTTP: canonicalise, read the batch, evaluate.</summary>
internal static class GatewayPipeline
{
    public static readonly DateTimeOffset Now = new(2030, 1, 15, 12, 0, 0, TimeSpan.Zero);
    public static readonly IPAddress Client = IPAddress.Parse("203.0.113.7");

    /// <summary>The outcome: a canonicalisation error, or the canonical request with the policy's decision.</summary>
    public sealed record Outcome(
        CanonicalizationError Error,
        string? Detail,
        CanonicalRequest? Request,
        IReadOnlyList<CanonicalOperation>? Operations,
        PolicyDecision? Decision);

    public static Outcome Run(
        CompiledPolicy policy,
        string method,
        string target,
        IReadOnlyList<string>? overrides = null,
        string? batchBody = null,
        string? origin = null,
        SendFacts? send = null)
    {
        var canonical = RequestCanonicalizer.Canonicalize(method, target, overrides ?? []);
        if (!canonical.Success)
        {
            return new Outcome(canonical.Error, canonical.Detail, null, null, null);
        }

        var request = canonical.Request!;
        IReadOnlyList<CanonicalOperation> operations = [request.Operation];
        if (request.IsBatch)
        {
            var batch = RequestCanonicalizer.CanonicalizeBatch(Encoding.UTF8.GetBytes(batchBody ?? ""));
            if (!batch.Success)
            {
                return new Outcome(batch.Error, batch.Detail, request, null, null);
            }

            operations = batch.Operations!;
        }

        var decision = policy.Evaluate(new RequestFacts(request, operations, Client, origin, Now, send));
        return new Outcome(CanonicalizationError.None, null, request, operations, decision);
    }

    public static CompiledPolicy ListsOnly { get; } =
        CompiledPolicy.Compile(new TokenPolicy { Paths = ["/lists/**"] }, UpstreamKind.Marketing);
}
