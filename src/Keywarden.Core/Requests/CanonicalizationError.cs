namespace Keywarden.Core.Requests;

/// <summary>Why a request (or a batch body) has no canonical form. Every error means: refuse, do not guess.</summary>
public enum CanonicalizationError
{
    /// <summary>No error.</summary>
    None,

    /// <summary>The path is neither <c>/3.0[/...]</c> nor <c>/api/1.0|1.3/&lt;group&gt;/&lt;method&gt;[.json]</c>, or a Transactional call carries a query.</summary>
    NotAnApiPath,

    /// <summary>After decoding once, the path still holds a percent-encoded triplet (e.g. <c>%252F</c>).</summary>
    DoubleEncoding,

    /// <summary>An encoded separator: <c>%2F</c> (<c>/</c>) or <c>%5C</c> (<c>\</c>).</summary>
    EncodedSeparator,

    /// <summary>A backslash, raw or decoded.</summary>
    Backslash,

    /// <summary>An empty segment (<c>//</c>), other than one trailing slash.</summary>
    EmptySegment,

    /// <summary>A <c>;</c> in a segment (matrix parameters, <c>;jsessionid=</c> tricks), raw or decoded.</summary>
    MatrixParameter,

    /// <summary>A <c>..</c> segment would climb above <c>/3.0</c>; or any dot segment in a Transactional path.</summary>
    DotSegmentEscapesRoot,

    /// <summary>A <c>%</c> not followed by two hex digits, or percent-encoded bytes that are not valid UTF-8.</summary>
    InvalidPercentEncoding,

    /// <summary>A control character (C0, DEL, C1; NUL, CR, LF and tab included), raw or decoded, in the path or the query.</summary>
    ControlCharacter,

    /// <summary>Method override headers with more than one distinct value, a comma list, or a <c>_method</c> query parameter.</summary>
    AmbiguousMethodOverride,

    /// <summary>A method override on a request whose method is not POST.</summary>
    MethodOverrideNotOnPost,

    /// <summary>A method (or override) other than GET, HEAD, POST, PUT, PATCH, DELETE; or not POST on Transactional.</summary>
    UnknownMethod,

    /// <summary>A Transactional output format the gateway does not speak: <c>.xml</c>, <c>.php</c>, <c>.yaml</c>.</summary>
    UnsupportedFormat,

    /// <summary>A batch body that is not <c>{"operations":[...]}</c> as Mailchimp defines it.</summary>
    MalformedBatch,

    /// <summary>A batch with more than <see cref="RequestCanonicalizer.MaxBatchOperations"/> operations.</summary>
    TooManyOperations,

    /// <summary>A batch operation with a bad method, path or field; the detail names its index.</summary>
    BatchOperationInvalid,

    /// <summary>
    /// A character that must not appear: raw non-ASCII or a character outside RFC 3986 <c>pchar</c> in the path, <c>#</c>,
    /// a format character (zero-width, bidi), or a Unicode look-alike of <c>/ \ . ; % ? #</c>.
    /// </summary>
    InvalidCharacter,

    /// <summary>
    /// A path segment (other than <c>.</c> and <c>..</c>) that ends in <c>.</c> or a space, raw or encoded. Servers
    /// differ on whether they strip those (Windows and IIS do), so the segment the policy judged might not be the one
    /// the upstream serves.
    /// </summary>
    TrailingDotOrSpace,
}
