using Keywarden.Core.Keys;

namespace Keywarden.Core.Requests;

/// <summary>
/// Turns a request as received into the one canonical form the policy judges and the gateway forwards. Pure: no I/O,
/// no HTTP types. Anything ambiguous is refused with a <see cref="CanonicalizationError"/>, never guessed.
/// </summary>
/// <remarks>
/// <para>Rules, in order: the effective method (override headers only on POST, one distinct value, no list); the
/// request target split at the first <c>?</c> (no <c>#</c>, no control character anywhere); the path decoded exactly
/// once per segment as UTF-8, refusing encoded separators, double encoding, backslashes, <c>;</c>, control, invisible
/// and look-alike characters and empty segments; Marketing dot segments resolved inside <c>/3.0</c>, Transactional
/// dot segments refused; a Marketing segment ending in <c>.</c> or a space refused; one trailing slash dropped; the
/// forwarded path rebuilt from the judged segments, letter case kept (a batch, recognised in any case, is forwarded
/// as <c>/3.0/batches</c>).</para>
/// <para>Transactional suffixes: none or <c>.json</c> (any case) are accepted and always forwarded as
/// <c>/api/1.0/&lt;group&gt;/&lt;method&gt;.json</c>; <c>.xml</c>, <c>.php</c>, <c>.yaml</c> are refused
/// (<see cref="CanonicalizationError.UnsupportedFormat"/>) because the gateway answers JSON only and a client
/// expecting another format would misread it.</para>
/// </remarks>
public static class RequestCanonicalizer
{
    /// <summary>
    /// The most operations one batch may hold. Mailchimp documents no per-batch bound (only 500 pending batches per
    /// account); Keywarden bounds the work and memory of judging one request. Larger jobs are split by the client.
    /// </summary>
    public const int MaxBatchOperations = 1000;

    private const string BatchesPath = "/batches";

    /// <summary>Canonicalises one request.</summary>
    /// <param name="method">The HTTP method as received.</param>
    /// <param name="rawTarget">The request-target exactly as received (path and optional <c>?query</c>), percent-encoding intact.</param>
    /// <param name="methodOverrides">
    /// Every value of <c>X-HTTP-Method-Override</c>, <c>X-HTTP-Method</c> and <c>X-Method-Override</c>; empty if none.
    /// The gateway should drop those headers and forward the effective method as one <c>X-HTTP-Method-Override</c>.
    /// </param>
    public static Canonicalization Canonicalize(string method, string rawTarget, IReadOnlyList<string> methodOverrides)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(rawTarget);
        ArgumentNullException.ThrowIfNull(methodOverrides);

        var error = HttpMethodResolver.Resolve(method, methodOverrides, out var effective, out var detail);
        if (error != CanonicalizationError.None)
        {
            return Canonicalization.Fail(error, detail!);
        }

        var target = rawTarget.AsSpan();
        var question = target.IndexOf('?');
        var rawPath = question < 0 ? target : target[..question];
        var rawQuery = question < 0 ? [] : target[(question + 1)..];
        if (!rawPath.StartsWith('/'))
        {
            return Canonicalization.Fail(CanonicalizationError.NotAnApiPath, "the request target must be a path starting with '/'");
        }

        error = QueryRules.Check(rawQuery, out detail);
        if (error != CanonicalizationError.None)
        {
            return Canonicalization.Fail(error, detail!);
        }

        var firstEnd = rawPath[1..].IndexOf('/');
        var rest = firstEnd < 0 ? [] : rawPath[(firstEnd + 1)..];
        return ApiOfPath(rawPath) switch
        {
            UpstreamKind.Marketing => Marketing(effective, rest, rawQuery),
            UpstreamKind.Transactional => Transactional(effective, rest, rawQuery),
            _ => Canonicalization.Fail(CanonicalizationError.NotAnApiPath, "not a Mailchimp API path: expected /3.0/... or /api/1.0/..."),
        };
    }

    /// <summary>
    /// The API a request-target addresses by its first path segment (<c>/3.0/…</c> Marketing, <c>/api/…</c>
    /// Transactional, decoded once), whatever is wrong with the rest; null when it addresses neither (another path,
    /// <c>*</c>, an authority). Lets a refusal of a malformed request still answer in the shape of the API addressed.
    /// </summary>
    /// <param name="rawTarget">The request-target exactly as received.</param>
    public static UpstreamKind? ApiOf(string rawTarget)
    {
        ArgumentNullException.ThrowIfNull(rawTarget);
        var target = rawTarget.AsSpan();
        var question = target.IndexOf('?');
        var rawPath = question < 0 ? target : target[..question];
        return rawPath.StartsWith('/') ? ApiOfPath(rawPath) : null;
    }

    private static UpstreamKind? ApiOfPath(ReadOnlySpan<char> rawPath)
    {
        var firstEnd = rawPath[1..].IndexOf('/');
        var first = firstEnd < 0 ? rawPath[1..] : rawPath[1..(firstEnd + 1)];
        Span<char> firstChars = stackalloc char[16];
        Span<byte> firstBytes = stackalloc byte[16];
        if (first.Length <= 16
            && PathSegment.Decode(first, firstBytes, firstChars, out _, out var firstLength, out _) == CanonicalizationError.None)
        {
            var decoded = firstChars[..firstLength];
            if (decoded is "3.0")
            {
                return UpstreamKind.Marketing;
            }

            if (decoded is "api")
            {
                return UpstreamKind.Transactional;
            }
        }

        return null;
    }

    /// <summary>
    /// Canonicalises each operation of a Marketing batch body (<c>POST /3.0/batches</c>):
    /// <c>{"operations":[{"method":"GET","path":"/lists/x/members","params":{...},"body":"...","operation_id":"..."}]}</c>.
    /// </summary>
    /// <remarks>
    /// Only the fields Mailchimp defines are accepted, each once. <c>method</c> is one of GET, POST, PUT, PATCH, DELETE
    /// (any case). <c>path</c> is relative to <c>/3.0</c> (<c>/lists</c>; a missing leading slash is added) and goes
    /// through the same rules as a request path; it may not name <c>/3.0</c> itself, carry a <c>?</c> query or <c>#</c>
    /// (use <c>params</c>), nor start another batch. <c>params</c> never changes the path and is not judged.
    /// </remarks>
    public static BatchCanonicalization CanonicalizeBatch(ReadOnlySpan<byte> utf8Json) => BatchBodyReader.Read(utf8Json);

    /// <summary>Canonicalises one batch operation's method and path (shared with request paths).</summary>
    internal static CanonicalizationError CanonicalizeBatchOperation(string method, string path, out CanonicalOperation? operation, out string? detail)
    {
        operation = null;
        var known = HttpMethodResolver.Known(method);
        if (known is null or "HEAD")
        {
            detail = "method is not one of GET, POST, PUT, PATCH, DELETE";
            return CanonicalizationError.UnknownMethod;
        }

        if (path.Length == 0)
        {
            detail = "path is empty";
            return CanonicalizationError.NotAnApiPath;
        }

        if (path.AsSpan().IndexOfAny('?', '#') >= 0)
        {
            detail = "path holds '?' or '#': pass query parameters in params";
            return CanonicalizationError.InvalidCharacter;
        }

        var relative = path.StartsWith('/') ? path : "/" + path;
        var error = MarketingPath.Canonicalize(relative, out var canonical, out _, out detail);
        if (error != CanonicalizationError.None)
        {
            return error;
        }

        // "/3.0/lists" in a batch: Mailchimp documents paths relative to /3.0 and whether it strips a repeated
        // prefix is unknown, so the operation is refused rather than judged one way and run another.
        if (canonical.Equals(MarketingPath.Prefix, StringComparison.Ordinal)
            || canonical.StartsWith(MarketingPath.Prefix + "/", StringComparison.Ordinal))
        {
            detail = "path must be relative to /3.0 (e.g. /lists), not include it";
            return CanonicalizationError.NotAnApiPath;
        }

        if (IsBatchStart(known, canonical))
        {
            detail = "a batch operation cannot start another batch";
            return CanonicalizationError.NotAnApiPath;
        }

        operation = new CanonicalOperation(known, canonical);
        return CanonicalizationError.None;
    }

    private static Canonicalization Marketing(string method, ReadOnlySpan<char> rest, ReadOnlySpan<char> rawQuery)
    {
        var error = MarketingPath.Canonicalize(rest, out var path, out var forwardPath, out var detail);
        if (error != CanonicalizationError.None)
        {
            return Canonicalization.Fail(error, detail!);
        }

        var query = rawQuery.IsEmpty ? null : rawQuery.ToString();
        var isBatch = IsBatchStart(method, path);
        if (isBatch)
        {
            // Judged as a batch (whatever the case sent), so forwarded as one: the upstream gets the path that was judged.
            path = BatchesPath;
            forwardPath = MarketingPath.Prefix + BatchesPath;
        }

        return Canonicalization.Ok(new CanonicalRequest(
            UpstreamKind.Marketing,
            new CanonicalOperation(method, path),
            forwardPath,
            query,
            isBatch));
    }

    private static Canonicalization Transactional(string method, ReadOnlySpan<char> rest, ReadOnlySpan<char> rawQuery)
    {
        if (method != "POST")
        {
            return Canonicalization.Fail(CanonicalizationError.UnknownMethod, "Transactional calls are POST");
        }

        if (!rawQuery.IsEmpty)
        {
            // Dropping it would change the call; forwarding it unjudged could carry parameters past the send checks.
            return Canonicalization.Fail(CanonicalizationError.NotAnApiPath, "Transactional calls take no query string");
        }

        var error = TransactionalPath.Canonicalize(rest, out var name, out var detail);
        if (error != CanonicalizationError.None)
        {
            return Canonicalization.Fail(error, detail!);
        }

        return Canonicalization.Ok(new CanonicalRequest(
            UpstreamKind.Transactional,
            new CanonicalOperation(method, name),
            string.Concat(TransactionalPath.ForwardPrefix, name, ".json"),
            null,
            false));
    }

    // Case-insensitive: an upstream that routed /BATCHES to batches must not run operations nobody judged.
    private static bool IsBatchStart(string method, string path) =>
        method == "POST" && path.Equals(BatchesPath, StringComparison.OrdinalIgnoreCase);
}
