using Keywarden.Core.Providers;

namespace Keywarden.Mailchimp;

/// <summary>The upstream APIs this build knows: Mailchimp Marketing and Mailchimp Transactional. A third API is one more entry here.</summary>
public static class MailchimpApis
{
    /// <summary>Marketing and Transactional, in that order.</summary>
    public static UpstreamApiCatalog Catalog { get; } = new([new MarketingApi(), new TransactionalApi()]);
}
