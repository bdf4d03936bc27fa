using System.Diagnostics.CodeAnalysis;
using Keywarden.Core.Keys;

namespace Keywarden.Core.Providers;

/// <summary>
/// One upstream API whose keys Keywarden keeps: what its keys look like, how one is verified, where a person creates and
/// revokes them, and the words for that. Rotation, the scanner (its <see cref="SecretPatterns"/>) and the CLI look an API up in an
/// <see cref="UpstreamApiCatalog"/> instead of branching on <see cref="UpstreamKind"/>; the Mailchimp implementations
/// live in <c>Keywarden.Mailchimp</c>.
/// </summary>
public interface IUpstreamApi
{
    /// <summary>The kind stored with an upstream.</summary>
    UpstreamKind Kind { get; }

    /// <summary>The name on the command line, in JSON and in storage: <c>marketing</c>.</summary>
    string Name { get; }

    /// <summary>The name in sentences: <c>Marketing</c>.</summary>
    string DisplayName { get; }

    /// <summary>The environment variable that points verification at another address (a sandbox, a test server).</summary>
    string BaseUrlVariable { get; }

    /// <summary>Parses a key of this API; false (never an exception, never the text in a message) when it is not one.</summary>
    bool TryParseKey(string text, [NotNullWhen(true)] out UpstreamKey? key);

    /// <summary>
    /// What the API's keys look like in code, config and history, for the scanner: one or more patterns, each with the
    /// rule id its findings carry. Keys that are verified and rotated here are found by these.
    /// </summary>
    IReadOnlyList<SecretPattern> SecretPatterns { get; }

    /// <summary>Where a person creates and revokes keys of an account in <paramref name="datacenter"/> (when the API has them).</summary>
    Uri KeysPage(string? datacenter);

    /// <summary>The click-by-click step that creates a key named <paramref name="keyName"/> on <see cref="KeysPage"/>.</summary>
    string CreateKeyStep(string keyName);

    /// <summary>The step that revokes <paramref name="oldKey"/> (its display form) on the same page.</summary>
    string RevokeKeyStep(string oldKey);

    /// <summary>
    /// Calls the API with <paramref name="key"/> and tells whether it works and for which account. Expected failures are
    /// returned, not thrown; no detail names the key. <paramref name="baseAddress"/> overrides the API's address.
    /// </summary>
    Task<KeyVerification> VerifyAsync(HttpClient http, UpstreamKey key, Uri? baseAddress, CancellationToken cancellationToken = default);
}
