namespace Keywarden.Cli.Completion;

/// <summary>An option as a completion script sees it.</summary>
/// <param name="Names">Its name and aliases, <c>--output</c> first, then <c>-o</c>.</param>
/// <param name="Description">One line of help.</param>
/// <param name="TakesValue">Whether the next word is its value (<c>--upstream NAME</c>) rather than a flag's neighbour.</param>
/// <param name="Values">The values to offer for it; none means any text or a file name.</param>
internal sealed record CompletionOption(IReadOnlyList<string> Names, string Description, bool TakesValue, IReadOnlyList<string> Values);
