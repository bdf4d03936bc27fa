namespace Keywarden.Core.Policy;

/// <summary>What is wrong with a token policy; each front end (CLI, admin API, console) says it in its own words.</summary>
public enum PolicyProblemCode
{
    /// <summary>Path globs were given for an API that is limited by method (Transactional).</summary>
    PathsNotForThisApi,

    /// <summary>Methods were given for an API that is limited by path (Marketing).</summary>
    MethodsNotForThisApi,

    /// <summary>Sender domains, recipients or a daily quota were given for an API that sends no mail (Marketing).</summary>
    SendingLimitsNotForThisApi,

    /// <summary>A path glob is not a glob on the canonical path (<see cref="PolicyProblem.Value"/> names it).</summary>
    InvalidPath,

    /// <summary>A method is not <c>group/method</c> in lower case.</summary>
    InvalidMethod,

    /// <summary>A client network is not a CIDR.</summary>
    InvalidCidr,

    /// <summary>An origin is not <c>scheme://host[:port]</c>.</summary>
    InvalidOrigin,

    /// <summary>A sender domain is not a domain name.</summary>
    InvalidFromDomain,

    /// <summary>The recipients per message limit is below 1.</summary>
    MaxRecipientsBelowOne,

    /// <summary>The daily quota is below 1.</summary>
    DailyQuotaBelowOne,

    /// <summary>The expiry is not in the future: the token would never work.</summary>
    ExpiresInThePast,

    /// <summary>The token would become valid only at or after it expires.</summary>
    NotBeforeAfterExpiry,
}
