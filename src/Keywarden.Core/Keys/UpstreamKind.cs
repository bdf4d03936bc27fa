namespace Keywarden.Core.Keys;

/// <summary>The upstream API a stored key belongs to.</summary>
public enum UpstreamKind
{
    /// <summary>Mailchimp Marketing API 3.0 (<c>https://&lt;dc&gt;.api.mailchimp.com/3.0/</c>).</summary>
    Marketing,

    /// <summary>Mailchimp Transactional, formerly Mandrill (<c>https://mandrillapp.com/api/1.0/</c>).</summary>
    Transactional,
}
