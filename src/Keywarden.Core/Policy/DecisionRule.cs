namespace Keywarden.Core.Policy;

/// <summary>The rule that decided a request: <see cref="Allowed"/>, or the first rule that refused it.</summary>
public enum DecisionRule
{
    /// <summary>Every rule passed.</summary>
    Allowed,

    /// <summary>The token's expiry has passed (<c>Now &gt;= ExpiresAt</c>).</summary>
    Expired,

    /// <summary>The token's not-before is still ahead (<c>Now &lt; NotBefore</c>).</summary>
    NotYetValid,

    /// <summary>The client address is outside every allowed network.</summary>
    ClientAddress,

    /// <summary>The request has an <c>Origin</c> the token does not allow.</summary>
    Origin,

    /// <summary>A write on a read-only token.</summary>
    ReadOnly,

    /// <summary>A Marketing path outside the token's path globs, or a request that has no operation to judge.</summary>
    Path,

    /// <summary>A Transactional method outside the token's methods.</summary>
    Method,

    /// <summary>A sender outside the token's from-domains, or no sender the gateway can check.</summary>
    FromDomain,

    /// <summary>More recipients than the token allows per message, or recipients the gateway cannot count.</summary>
    MaxRecipients,

    /// <summary>The body of a sending call could not be read, so the send limits cannot be checked.</summary>
    SendBodyUnreadable,

    /// <summary>The request addresses the other API than the token's upstream.</summary>
    Api,
}
