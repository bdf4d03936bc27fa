using System.Buffers;
using System.Runtime.CompilerServices;
using Keywarden.Core.Providers;

namespace Keywarden.Scanner.Detection;

/// <summary>
/// Finds secrets in decoded text of any length in bounded memory: the text is read in chunks, each scanned with
/// a tail of <see cref="Overlap"/> characters from the next, so a secret that spans two chunks is seen whole,
/// and is reported by the chunk it starts in (once). The loop scans spans with vectorised searches for the
/// anchors of the <see cref="SecretRules"/> (<c>-us</c>, <c>md-</c>, <c>kw_</c>) and the keywords of its context
/// patterns (Mandrill's), and allocates only for a finding. One instance scans one text.
/// </summary>
/// <remarks>
/// A context secret (a bare 22-character Transactional key) needs one of its pattern's keywords on its line or one of
/// the lines above. On a line longer than a chunk, the keyword may come chunks later than the key: the candidates on a
/// chunk's unfinished last line are kept (at most <see cref="MaxPendingCandidates"/>) until that line ends, and reported
/// if a keyword turns up on it first.
/// </remarks>
internal sealed class TextScanner
{
    public const int DefaultChunkChars = 64 * 1024;

    /// <summary>Longer than the longest secret (<see cref="AnchoredSecretPattern.MaxSupportedLength"/>) plus the character after it.</summary>
    public const int Overlap = 64;

    /// <summary>Bare candidates kept for one unfinished line, waiting for a keyword: bounds memory on minified files.</summary>
    public const int MaxPendingCandidates = 1024;

    private static readonly SearchValues<char> KeySeparators = SearchValues.Create("_-");

    private readonly SecretRules _rules;
    private readonly int _chunkChars;
    private readonly List<RawFinding> _findings = [];
    private readonly List<AnchoredHit> _hits = [];
    private readonly ContextState[] _context;
    private HashSet<long>? _allowedLines;
    private long _windowStart;
    private long _line = 1;
    private long _lineStart;
    private char _previous = '\n';

    public TextScanner(SecretRules rules, int chunkChars = DefaultChunkChars)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkChars, Overlap);
        _rules = rules;
        _chunkChars = chunkChars;
        _context = [.. rules.Context.Select(r => new ContextState(r))];
    }

    /// <summary>Secrets shaped right but skipped as placeholders (<c>0000…</c>, <c>your-key-here</c>…): not findings, but counted, so a clean scan of a file that holds one says it saw something.</summary>
    public int PlaceholdersSkipped { get; private set; }

    /// <summary>Characters read so far.</summary>
    public long CharsRead { get; private set; }

    /// <summary>
    /// Scans the whole text. Returns null when it holds a NUL character and <paramref name="includeBinary"/> is false
    /// (a binary file); otherwise the findings (not sorted: callers sort), lines with <c>keywarden:allow</c> left out.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public List<RawFinding>? Scan(TextReader reader, bool includeBinary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var capacity = _chunkChars + Overlap;
        var buffer = ArrayPool<char>.Shared.Rent(capacity);
        try
        {
            var filled = 0;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var before = filled;
                var end = false;
                while (filled < capacity)
                {
                    var read = reader.Read(buffer, filled, capacity - filled);
                    if (read == 0)
                    {
                        end = true;
                        break;
                    }

                    filled += read;
                }

                CharsRead += filled - before;
                if (!includeBinary && buffer.AsSpan(before, filled - before).Contains('\0'))
                {
                    return null;
                }

                var limit = end ? filled : _chunkChars;
                ScanWindow(buffer.AsSpan(0, filled), limit);
                AdvancePast(buffer.AsSpan(0, limit));
                if (end)
                {
                    break;
                }

                buffer.AsSpan(limit, filled - limit).CopyTo(buffer);
                filled -= limit;
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }

        if (_allowedLines is { } allowed)
        {
            _findings.RemoveAll(f => allowed.Contains(f.Line));
        }

        return _findings;
    }

    /// <summary>Scans the secrets that start before <paramref name="limit"/>; the rest of the window is look-ahead.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ScanWindow(ReadOnlySpan<char> window, int limit)
    {
        FindAnchored(window, limit);
        foreach (var context in _context)
        {
            FindKeywordLines(context, window, limit);
            PromotePending(context);
            if (context.KeywordLines.Count > 0 || context.LastKeywordLine >= _line - context.Rule.Pattern.LinesAbove)
            {
                FindContextSecrets(context, window, 0, limit, _findings, nearKeywordOnly: true);
            }

            // Only keywords this window owns (before the limit): one in the look-ahead on a later line must not hide an
            // earlier one from a candidate at the start of the next window.
            context.LastKeywordLine = Math.Max(context.LastKeywordLine, context.LastKeywordLineBeforeLimit);

            if (limit < window.Length)
            {
                KeepPending(context, window, limit);
            }
        }
    }

    /// <summary>A keyword on the unfinished line the pending candidates wait on qualifies them; a finished line drops them.</summary>
    private void PromotePending(ContextState context)
    {
        if (context.Pending.Count == 0)
        {
            return;
        }

        if (context.KeywordLines.Contains(context.PendingLine))
        {
            _findings.AddRange(context.Pending);
            context.Pending.Clear();
        }
        else if (_line > context.PendingLine)
        {
            context.Pending.Clear();
        }
    }

    /// <summary>The window's last line goes on into the next chunk: keep its candidates that only lack a keyword.</summary>
    private void KeepPending(ContextState context, ReadOnlySpan<char> window, int limit)
    {
        var tailStart = window[..limit].LastIndexOf('\n') + 1;
        var tailLine = Cursor(window).LineAt(tailStart);
        if (tailLine != context.PendingLine)
        {
            context.Pending.Clear();
            context.PendingLine = tailLine;
        }

        if (!context.IsNearKeyword(tailLine) && context.Pending.Count < MaxPendingCandidates)
        {
            FindContextSecrets(context, window, tailStart, limit, context.Pending, nearKeywordOnly: false);
            if (context.Pending.Count > MaxPendingCandidates)
            {
                context.Pending.RemoveRange(MaxPendingCandidates, context.Pending.Count - MaxPendingCandidates);
            }
        }
    }

    private void AdvancePast(ReadOnlySpan<char> processed)
    {
        var count = processed.Count('\n');
        if (count > 0)
        {
            _line += count;
            _lineStart = _windowStart + processed.LastIndexOf('\n') + 1;
        }

        if (processed.Length > 0)
        {
            _previous = processed[^1];
        }

        _windowStart += processed.Length;
    }

    private LineCursor Cursor(ReadOnlySpan<char> window) => new(window, _windowStart, _line, _lineStart);

    /// <summary>
    /// One vectorised pass for every anchor and <c>keywarden:allow</c>, each hit offered to the patterns with that
    /// anchor (a pass per anchor cost four times the search); the matches are then put in order and given lines.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FindAnchored(ReadOnlySpan<char> window, int limit)
    {
        _hits.Clear();
        var anchored = _rules.Anchored;
        var from = 0;
        int index;
        while ((index = window[from..].IndexOfAny(_rules.Anchors)) >= 0)
        {
            var at = from + index;
            from = at + 1;
            var rest = window[at..];
            if (rest.StartsWith(SecretRules.AllowMarker, StringComparison.Ordinal))
            {
                _hits.Add(new AnchoredHit(at, 0, null));
                continue;
            }

            for (var i = 0; i < anchored.Count; i++)
            {
                var pattern = anchored[i];
                if (rest.StartsWith(pattern.Anchor, StringComparison.Ordinal)
                    && pattern.TryMatch(window, at, out var start, out var length)
                    && start >= 0 && start < limit // one that began in the previous chunk was seen whole there
                    && !IsAlphanumericBefore(window, start)
                    && !char.IsAsciiLetterOrDigit(CharAt(window, start + length))
                    && !IsPlaceholder(window.Slice(start, length)[pattern.Body(length)]))
                {
                    _hits.Add(new AnchoredHit(start, length, pattern.RuleId));
                }
            }
        }

        if (_hits.Count == 0)
        {
            return;
        }

        if (_hits.Count > 1)
        {
            _hits.Sort(static (x, y) => x.Start.CompareTo(y.Start));
        }

        var cursor = Cursor(window);
        foreach (var hit in _hits)
        {
            if (hit.RuleId is { } ruleId)
            {
                Report(_findings, ruleId, window.Slice(hit.Start, hit.Length), ref cursor, hit.Start);
            }
            else
            {
                (_allowedLines ??= []).Add(cursor.LineAt(hit.Start));
            }
        }
    }

    /// <summary>Checked last, once everything else says "secret": true (and counted) when the body is a placeholder.</summary>
    private bool IsPlaceholder(ReadOnlySpan<char> body)
    {
        if (!Placeholders.IsPlaceholder(body))
        {
            return false;
        }

        PlaceholdersSkipped++;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FindKeywordLines(ContextState context, ReadOnlySpan<char> window, int limit)
    {
        var lines = context.KeywordLines;
        lines.Clear();
        context.LastKeywordLineBeforeLimit = long.MinValue;
        var cursor = Cursor(window);
        var from = 0;
        int index;
        while ((index = window[from..].IndexOfAny(context.Rule.Keywords)) >= 0)
        {
            var line = cursor.LineAt(from + index);
            if (from + index < limit)
            {
                context.LastKeywordLineBeforeLimit = line;
            }

            if (lines.Count == 0 || lines[^1] != line)
            {
                lines.Add(line);
            }

            from += index + 1;
        }
    }

    /// <summary>
    /// The pattern's length of word characters (<c>[A-Za-z0-9_-]</c>), not preceded or followed by a letter or digit,
    /// not part of an anchored secret, that the pattern takes as a candidate; with a keyword on the line or the lines
    /// above unless <paramref name="nearKeywordOnly"/> is false.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FindContextSecrets(ContextState context, ReadOnlySpan<char> window, int from, int limit, List<RawFinding> target, bool nearKeywordOnly)
    {
        var pattern = context.Rule.Pattern;
        var length = pattern.Length;
        var cursor = Cursor(window);

        // Only runs of the length or more can hold a candidate: find them with a vectorised pass (most text, minified
        // JS included, has none), then look at each run's candidates.
        var position = from;
        while (position < limit)
        {
            var runStart = KeyRuns.IndexOfLongRun(window, position, limit, length);
            if (runStart < 0)
            {
                break;
            }

            var runLength = window[runStart..].IndexOfAnyExcept(ContextSecretPattern.WordChars);
            var runEnd = runLength < 0 ? window.Length : runStart + runLength;
            position = runEnd;

            // Candidate starts in a run: its first character, and each character after a '_' or '-'.
            var start = runStart;
            while (start < limit && start + length <= runEnd)
            {
                var candidate = window.Slice(start, length);
                if (!IsAlphanumericBefore(window, start)
                    && !char.IsAsciiLetterOrDigit(CharAt(window, start + length))
                    && !IsInAnchoredSecret(window, start)
                    && pattern.IsCandidate(candidate)
                    && (!nearKeywordOnly || context.IsNearKeyword(cursor.LineAt(start)))
                    // Counted only when the keyword is known to be there (a pending candidate may never become one).
                    && !(nearKeywordOnly ? IsPlaceholder(candidate[pattern.Body(length)]) : Placeholders.IsPlaceholder(candidate[pattern.Body(length)])))
                {
                    Report(target, pattern.RuleId, candidate, ref cursor, start);
                    start += length;
                    continue;
                }

                var next = window[(start + 1)..runEnd].IndexOfAny(KeySeparators);
                if (next < 0)
                {
                    break;
                }

                start += next + 2;
            }
        }
    }

    private static void Report(List<RawFinding> target, string ruleId, ReadOnlySpan<char> secret, ref LineCursor cursor, int start)
    {
        var line = cursor.LineAt(start);
        target.Add(new RawFinding(ruleId, secret.ToString(), line, cursor.ColumnAt(start)));
    }

    private bool IsAlphanumericBefore(ReadOnlySpan<char> window, int index) =>
        char.IsAsciiLetterOrDigit(index > 0 ? window[index - 1] : _previous);

    /// <summary>A candidate that starts with an anchor, or right after one, is that anchored pattern's business (<c>md-</c> + body).</summary>
    private bool IsInAnchoredSecret(ReadOnlySpan<char> window, int index)
    {
        foreach (var anchor in _rules.AnchorLiterals)
        {
            if (window[index..].StartsWith(anchor, StringComparison.Ordinal)
                || (index >= anchor.Length && window.Slice(index - anchor.Length, anchor.Length).SequenceEqual(anchor)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Past the end of the window is the end of the text (the window always holds a secret's look-ahead).</summary>
    private static char CharAt(ReadOnlySpan<char> window, int index) => index < window.Length ? window[index] : '\0';
}
