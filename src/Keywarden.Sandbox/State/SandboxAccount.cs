namespace Keywarden.Sandbox;

/// <summary>A simulated Mailchimp account: one datacenter for its Marketing keys, one username for Transactional.</summary>
public sealed record SandboxAccount(
    string AccountId,
    string Name,
    string Datacenter,
    string Username,
    string LoginId,
    string Email,
    DateTimeOffset CreatedAt);
