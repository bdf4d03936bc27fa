using Keywarden.Core.Keys;

namespace Keywarden.Storage;

/// <summary>A named upstream: one Mailchimp account's API, reached with one current key.</summary>
/// <param name="Id">Stable id, e.g. <c>up_…</c>.</param>
/// <param name="Name">Unique name chosen by the operator, e.g. <c>newsletter</c>.</param>
/// <param name="Kind">Marketing or Transactional.</param>
/// <param name="Datacenter">Marketing datacenter from the key suffix (<c>us21</c>); null for Transactional.</param>
/// <param name="BaseUrl">Override of the provider's address (the sandbox, a test server); null for the real Mailchimp.</param>
/// <param name="AccountId">The provider's account identity (Marketing <c>account_id</c>, Transactional <c>username</c>) once verified.</param>
/// <param name="MaxKeyAge">How old the current key may get before rotation is due.</param>
/// <param name="CreatedAt">When the upstream was added.</param>
public sealed record UpstreamRecord(
    string Id,
    string Name,
    UpstreamKind Kind,
    string? Datacenter,
    Uri? BaseUrl,
    string? AccountId,
    TimeSpan MaxKeyAge,
    DateTimeOffset CreatedAt);
