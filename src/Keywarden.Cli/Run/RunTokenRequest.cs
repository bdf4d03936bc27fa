namespace Keywarden.Cli.Run;

/// <summary>What <c>keywarden run</c> asks of <see cref="IRunTokens"/>: a token on an upstream, or one after a template token.</summary>
/// <param name="Upstream">The upstream to issue on (the whole API, read-write); null when <paramref name="Template"/> is set.</param>
/// <param name="Template">
/// An active token, by id (<c>tok_…</c>) or name, whose upstream and policy the new token copies, narrowed to
/// <paramref name="Ttl"/>; null when <paramref name="Upstream"/> is set.
/// </param>
/// <param name="Ttl">How long the token lives at most, from its issue.</param>
/// <param name="Command">The program run (its file name), for the token's name in the list and the audit log.</param>
internal sealed record RunTokenRequest(string? Upstream, string? Template, TimeSpan Ttl, string Command);
