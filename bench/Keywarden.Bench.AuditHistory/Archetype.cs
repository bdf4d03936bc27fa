namespace Keywarden.Bench.AuditHistory;

/// <summary>The kinds of integration a Mailchimp account's tokens serve, each with its own rhythm.</summary>
internal enum Archetype
{
    /// <summary>A website's signup form: adds and updates members as people sign up, by day in the site's time zone.</summary>
    SignupForm,

    /// <summary>A CRM: a nightly sync of thousands of members, and a few lookups by day.</summary>
    CrmSync,

    /// <summary>A dashboard: a cron reading reports every 15 or 30 minutes, and a weekly report on Monday morning.</summary>
    Reporting,

    /// <summary>A campaign editor used by people on weekdays.</summary>
    CampaignTool,

    /// <summary>A shop: orders, customers and carts (carts deleted after checkout), busy at weekends too.</summary>
    Ecommerce,

    /// <summary>An app sending transactional mail (password resets, receipts) as its users act.</summary>
    TransactionalApp,

    /// <summary>A daily digest: thousands of one-recipient templated messages each morning.</summary>
    Digest,

    /// <summary>A health check or tiny script: about three calls a day.</summary>
    LowVolume,
}
