namespace Keywarden.Core.Providers;

/// <summary>The outcome of asking a provider about a key.</summary>
public enum KeyVerificationStatus
{
    /// <summary>The provider accepted the key.</summary>
    Valid,

    /// <summary>The provider refused the key (Marketing 401, Transactional <c>Invalid_Key</c>): unknown or revoked.</summary>
    Invalid,

    /// <summary>The provider could not be reached or answered something else; nothing is known about the key.</summary>
    Unreachable,
}
