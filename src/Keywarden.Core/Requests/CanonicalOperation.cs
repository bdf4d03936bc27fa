namespace Keywarden.Core.Requests;

/// <summary>
/// One operation as the policy judges it: the request itself, or one operation of a Marketing batch.
/// </summary>
/// <param name="Method">
/// Marketing: the upper-case effective HTTP method (after <c>X-HTTP-Method-Override</c>), one of
/// GET, HEAD, POST, PUT, PATCH, DELETE. Transactional: always <c>POST</c>.
/// </param>
/// <param name="Path">
/// Marketing: the decoded canonical path after <c>/3.0</c>, starting with <c>/</c>, without a trailing slash except the
/// root <c>/</c>, e.g. <c>/lists/abc123/members/f00d</c>. Its segments never contain <c>/</c>, <c>\</c>, <c>;</c>,
/// control characters or a percent-encoded triplet, and it has no empty, <c>.</c> or <c>..</c> segment.
/// Transactional: <c>group/method</c> in lower case without suffix, e.g. <c>messages/send</c>.
/// </param>
public sealed record CanonicalOperation(string Method, string Path);
