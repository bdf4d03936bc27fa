namespace Keywarden.Bench.AuditHistory;

/// <summary>The labelled attacks and failures the generated history holds.</summary>
internal enum EpisodeKind
{
    /// <summary>A stolen token scraping members from a network it never used, while the app keeps running.</summary>
    StolenScrape,

    /// <summary>The token's own app (same network and calls) at 20 times its busy-hour rate for one to two hours.</summary>
    Burst,

    /// <summary>One address trying made-up tokens.</summary>
    TokenGuessing,

    /// <summary>A send token mailing many recipients per message, or sending from a domain its policy refuses.</summary>
    Spam,

    /// <summary>A token that never deleted anything deleting members.</summary>
    Destructive,

    /// <summary>A token calling an endpoint it never used (a signup token listing members, a dashboard sending a campaign).</summary>
    NewSurface,

    /// <summary>The upstream key revoked behind Keywarden's back: every forwarded request answered 401 (Transactional: 500 Invalid_Key).</summary>
    UpstreamRevoked,

    /// <summary>A decoy token used by whoever found it.</summary>
    Decoy,
}
