namespace Keywarden.Scanner;

/// <summary>The rule ids of findings: a contract for baselines, SARIF consumers and scripts.</summary>
public static class ScanRules
{
    public const string MarketingKey = "mailchimp-marketing-key";

    public const string TransactionalKey = "mailchimp-transactional-key";

    public const string KeywardenToken = "keywarden-token";

    /// <summary>Every rule, in a stable order, with a one-line description.</summary>
    public static IReadOnlyList<(string Id, string Description)> All { get; } =
    [
        (MarketingKey, "Mailchimp Marketing API key"),
        (TransactionalKey, "Mailchimp Transactional (Mandrill) API key"),
        (KeywardenToken, "Keywarden gateway token"),
    ];

    public static string Describe(string ruleId) =>
        All.FirstOrDefault(r => r.Id == ruleId).Description ?? ruleId;
}
