namespace Keywarden.Mailchimp;

/// <summary>The scanner's rule ids for Mailchimp keys: a contract for baselines, SARIF consumers and scripts.</summary>
public static class MailchimpScanRules
{
    public const string MarketingKey = "mailchimp-marketing-key";

    public const string TransactionalKey = "mailchimp-transactional-key";
}
