using Keywarden.Core.Audit;

namespace Keywarden.Storage.Contract;

/// <summary>
/// Audit entries with every field set, at sub-millisecond times the store must truncate; odd ones with the monitor's facts
/// (recipients, from-domain, user agent), even ones in the form records had before those existed.
/// </summary>
public static class AuditSamples
{
    public static AuditEntry Request(int i) => new(
        Time: Samples.T0.AddMilliseconds(i).AddTicks(1234),
        Kind: AuditKind.Request,
        TokenId: "tok_" + i.ToString("D12", System.Globalization.CultureInfo.InvariantCulture),
        UpstreamId: "up_newsletter",
        KeyId: "key_newsletter",
        ClientAddress: "203.0.113." + (i % 256),
        Method: i % 3 == 0 ? "POST" : "GET",
        Path: $"/lists/{i}/members",
        Decision: (AuditDecision)(i % 3),
        Rule: "policy.paths",
        UpstreamStatus: i % 4 == 0 ? null : 200 + (i % 5),
        LatencyMs: i * 0.125,
        BytesIn: i,
        BytesOut: 1_000_000L * i,
        Actor: null,
        Detail: i % 2 == 0 ? null : "été ✓ 𝄞",
        Recipients: i % 2 == 0 ? null : i % 4,
        FromDomain: i % 2 == 0 ? null : "example.com",
        UserAgent: i % 2 == 0 ? null : "mailchimp-transactional-node/1.0.59 été ✓");

    /// <summary>The admin record of a change a test makes where what the record says does not matter.</summary>
    public static AuditEntry Change { get; } = AuditEntry.ForAdmin(Samples.T0, "alice", "test.change", "scene", "set by the test");

    public static AuditEntry Admin(int i) =>
        AuditEntry.ForAdmin(Samples.T0.AddSeconds(i), "alice", "token.revoke", "tok_" + i, "no longer used");

    public static IReadOnlyList<AuditEntry> Requests(int count, int from = 0) =>
        Enumerable.Range(from, count).Select(Request).ToArray();
}
