namespace Keywarden.Core.Providers;

/// <summary>What a provider said about a key. Never contains the key.</summary>
/// <param name="Status">Valid, invalid or unreachable.</param>
/// <param name="AccountId">The account the key belongs to (Marketing <c>account_id</c>, Transactional <c>username</c>) when valid.</param>
/// <param name="AccountName">A readable account name when the provider gives one.</param>
/// <param name="Detail">A short human explanation of a failure.</param>
public sealed record KeyVerification(KeyVerificationStatus Status, string? AccountId = null, string? AccountName = null, string? Detail = null);
