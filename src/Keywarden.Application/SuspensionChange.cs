namespace Keywarden.Application;

/// <summary>What a suspension or resumption did.</summary>
/// <param name="Token">The token as it stands now.</param>
/// <param name="Changed">
/// False when there was nothing to do: the token was already suspended (the first suspension's time and reason stand) or
/// was not suspended. Nothing was written then.
/// </param>
public sealed record SuspensionChange(TokenView Token, bool Changed);
