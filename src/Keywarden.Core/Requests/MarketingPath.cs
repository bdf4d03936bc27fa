using System.Buffers;

namespace Keywarden.Core.Requests;

/// <summary>
/// Canonicalises the part of a Marketing path after <c>/3.0</c>: decodes each segment once, resolves <c>.</c> and
/// <c>..</c> (never above <c>/3.0</c>), refuses a segment ending in <c>.</c> or a space, drops one trailing slash, and
/// builds the judged path and the forwarded path from the same segments.
/// </summary>
/// <remarks>
/// Letter case is kept, not folded: ids can be case-sensitive (an e-commerce store id is the client's own string), so
/// folding would address another resource than the client named. The policy compares literal segments exactly
/// (<see cref="Policy.PathGlob"/>), so the path judged and the path forwarded are the same characters.
/// </remarks>
internal static class MarketingPath
{
    /// <summary>The version prefix every Marketing path starts with.</summary>
    public const string Prefix = "/3.0";

    /// <param name="rest">Everything after <c>/3.0</c>: empty, or starting with <c>/</c>.</param>
    /// <param name="path">The judged path, e.g. <c>/lists/abc</c>; <c>/</c> for the root.</param>
    /// <param name="forwardPath">The forwarded path, e.g. <c>/3.0/lists/abc</c>; <c>/3.0/</c> for the root.</param>
    /// <param name="detail">Why, on error.</param>
    public static CanonicalizationError Canonicalize(ReadOnlySpan<char> rest, out string path, out string forwardPath, out string? detail)
    {
        path = "/";
        forwardPath = Prefix + "/";
        detail = null;
        if (rest.IsEmpty)
        {
            return CanonicalizationError.None;
        }

        // Bounds: decoded text is never longer than the raw text; re-encoding takes at most 3 chars per raw char.
        var judged = ArrayPool<char>.Shared.Rent(rest.Length);
        var forward = ArrayPool<char>.Shared.Rent((rest.Length * 3) + Prefix.Length);
        var chars = ArrayPool<char>.Shared.Rent(rest.Length);
        var bytes = ArrayPool<byte>.Shared.Rent(rest.Length);
        // Per kept segment, the (judged, forward) lengths before it: a segment takes at least 2 raw chars ("/x").
        var starts = ArrayPool<int>.Shared.Rent(rest.Length + 1);
        try
        {
            var judgedLength = 0;
            var forwardLength = 0;
            var depth = 0;
            var remaining = rest[1..];
            var index = 0;
            while (true)
            {
                index++;
                var slash = remaining.IndexOf('/');
                var raw = slash < 0 ? remaining : remaining[..slash];
                var isLast = slash < 0;
                if (raw.IsEmpty)
                {
                    if (isLast)
                    {
                        break; // one trailing slash: dropped
                    }

                    detail = $"empty path segment (//) at segment {index}";
                    return CanonicalizationError.EmptySegment;
                }

                var error = PathSegment.Decode(raw, bytes, chars, out var byteCount, out var charCount, out detail);
                if (error != CanonicalizationError.None)
                {
                    detail = $"{detail} (segment {index})";
                    return error;
                }

                var decoded = chars.AsSpan(0, charCount);
                if (PathSegment.HasAmbiguousEnd(decoded))
                {
                    detail = $"segment {index} ends in '.' or ' '";
                    return CanonicalizationError.TrailingDotOrSpace;
                }

                if (PathSegment.IsDotDot(decoded))
                {
                    if (depth == 0)
                    {
                        detail = "'..' climbs above /3.0";
                        return CanonicalizationError.DotSegmentEscapesRoot;
                    }

                    depth--;
                    judgedLength = starts[depth * 2];
                    forwardLength = starts[(depth * 2) + 1];
                }
                else if (!PathSegment.IsDot(decoded))
                {
                    starts[depth * 2] = judgedLength;
                    starts[(depth * 2) + 1] = forwardLength;
                    depth++;
                    judged[judgedLength++] = '/';
                    decoded.CopyTo(judged.AsSpan(judgedLength));
                    judgedLength += decoded.Length;
                    forward[forwardLength++] = '/';
                    forwardLength += PathSegment.Encode(bytes.AsSpan(0, byteCount), forward.AsSpan(forwardLength));
                }

                if (isLast)
                {
                    break;
                }

                remaining = remaining[(slash + 1)..];
            }

            if (judgedLength > 0)
            {
                path = new string(judged, 0, judgedLength);
                forwardPath = string.Concat(Prefix, forward.AsSpan(0, forwardLength));
            }

            detail = null;
            return CanonicalizationError.None;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(judged);
            ArrayPool<char>.Shared.Return(forward);
            ArrayPool<char>.Shared.Return(chars);
            ArrayPool<byte>.Shared.Return(bytes);
            ArrayPool<int>.Shared.Return(starts);
        }
    }
}
