using Keywarden.Core.Providers;

namespace Keywarden.Mailchimp;

/// <summary>The two ways a Transactional key shows up in text, under one rule id.</summary>
internal static class TransactionalKeyPatterns
{
    public const string Description = "Mailchimp Transactional (Mandrill) API key";

    public static IReadOnlyList<SecretPattern> All { get; } = [new TransactionalKeyPattern(), new BareTransactionalKeyPattern()];
}
