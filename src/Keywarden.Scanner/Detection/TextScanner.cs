using System.Buffers;
using System.Runtime.CompilerServices;
using Keywarden.Core.Tokens;

namespace Keywarden.Scanner.Detection;

/// <summary>
/// Finds secrets in decoded text of any length in bounded memory: the text is read in chunks, each scanned with
/// a tail of <see cref="Overlap"/> characters from the next, so a secret that spans two chunks is seen whole,
/// and is reported by the chunk it starts in (once). The loop scans spans with vectorised searches for the
/// anchors (<c>-us</c>, <c>md-</c>, <c>kw_</c>, Mandrill keywords) and allocates only for a finding.
/// One instance scans one text.
/// </summary>
/// <remarks>
/// A bare 22-character Transactional key needs a Mandrill keyword on its line or one of the two above. On a line
/// longer than a chunk, the keyword may come chunks later than the key: the candidates on a chunk's unfinished last
/// line are kept (at most <see cref="MaxPendingCandidates"/>) until that line ends, and reported if a keyword turns
/// up on it first.
/// </remarks>
internal sealed class TextScanner
{
    public const int DefaultChunkChars = 64 * 1024;

    /// <summary>Longer than the longest secret (39 characters) plus the character after it.</summary>
    public const int Overlap = 64;

    /// <summary>Bare candidates kept for one unfinished line, waiting for a keyword: bounds memory on minified files.</summary>
    public const int MaxPendingCandidates = 1024;

    private const int MarketingHexLength = 32;
    private const string AllowMarker = "keywarden:allow";

    private static readonly SearchValues<string> Anchors = SearchValues.Create(
        ["-us", Core.Keys.TransactionalKey.MdPrefix, GatewayToken.Prefix, AllowMarker], StringComparison.Ordinal);

    private static readonly SearchValues<char> HexLower = SearchValues.Create("0123456789abcdef");

    private static readonly SearchValues<char> KeyChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");

    private static readonly SearchValues<char> KeySeparators = SearchValues.Create("_-");

    private static readonly SearchValues<string> MandrillKeywords = SearchValues.Create(
        ["mandrill", "mailchimp_transactional", "mailchimp-transactional", "mailchimptransactional"],
        StringComparison.OrdinalIgnoreCase);

    private readonly int _chunkChars;
    private readonly List<RawFinding> _findings = [];
    private readonly List<long> _keywordLines = [];
    private readonly List<RawFinding> _pending = [];
    private long _pendingLine;
    private HashSet<long>? _allowedLines;
    private long _windowStart;
    private long _line = 1;
    private long _lineStart;
    private char _previous = '\n';
    private long _lastKeywordLine = long.MinValue / 2;
    private long _lastKeywordLineBeforeLimit = long.MinValue;

    public TextScanner(int chunkChars = DefaultChunkChars)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkChars, Overlap);
        _chunkChars = chunkChars;
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
        FindKeywordLines(window, limit);
        PromotePending();
        if (_keywordLines.Count > 0 || _lastKeywordLine >= _line - 2)
        {
            FindBareTransactionalKeys(window, 0, limit, _findings, nearKeywordOnly: true);
        }

        // Only keywords this window owns (before the limit): one in the look-ahead on a later line must not hide an
        // earlier one from a candidate at the start of the next window.
        _lastKeywordLine = Math.Max(_lastKeywordLine, _lastKeywordLineBeforeLimit);

        if (limit < window.Length)
        {
            KeepPending(window, limit);
        }
    }

    /// <summary>A keyword on the unfinished line the pending candidates wait on qualifies them; a finished line drops them.</summary>
    private void PromotePending()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        if (_keywordLines.Contains(_pendingLine))
        {
            _findings.AddRange(_pending);
            _pending.Clear();
        }
        else if (_line > _pendingLine)
        {
            _pending.Clear();
        }
    }

    /// <summary>The window's last line goes on into the next chunk: keep its candidates that only lack a keyword.</summary>
    private void KeepPending(ReadOnlySpan<char> window, int limit)
    {
        var tailStart = window[..limit].LastIndexOf('\n') + 1;
        var tailLine = Cursor(window).LineAt(tailStart);
        if (tailLine != _pendingLine)
        {
            _pending.Clear();
            _pendingLine = tailLine;
        }

        if (!IsNearKeyword(tailLine) && _pending.Count < MaxPendingCandidates)
        {
            FindBareTransactionalKeys(window, tailStart, limit, _pending, nearKeywordOnly: false);
            if (_pending.Count > MaxPendingCandidates)
            {
                _pending.RemoveRange(MaxPendingCandidates, _pending.Count - MaxPendingCandidates);
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
    /// One vectorised pass for the literal anchors (<c>-us</c>, <c>md-</c>, <c>kw_</c>, <c>keywarden:allow</c>), each
    /// hit checked by its rule: a pass per anchor cost four times the search.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FindAnchored(ReadOnlySpan<char> window, int limit)
    {
        var marketing = Cursor(window);
        var prefixed = Cursor(window);
        var tokens = Cursor(window);
        var allowed = Cursor(window);
        var from = 0;
        int index;
        while ((index = window[from..].IndexOfAny(Anchors)) >= 0)
        {
            var at = from + index;
            from = at + 1;
            switch (window[at])
            {
                case '-':
                    CheckMarketingKey(window, limit, at, ref marketing);
                    break;
                case 'm':
                    CheckPrefixedTransactionalKey(window, limit, at, ref prefixed);
                    break;
                case 'k' when window[at..].StartsWith(GatewayToken.Prefix, StringComparison.Ordinal):
                    CheckToken(window, limit, at, ref tokens);
                    break;
                default:
                    (_allowedLines ??= []).Add(allowed.LineAt(at));
                    break;
            }
        }
    }

    /// <summary><c>[0-9a-f]{32}-us[0-9]{1,2}</c>, not preceded or followed by a letter or digit; <paramref name="dash"/> is the <c>-us</c>.</summary>
    private void CheckMarketingKey(ReadOnlySpan<char> window, int limit, int dash, ref LineCursor cursor)
    {
        var start = dash - MarketingHexLength;
        if (start < 0 || start >= limit)
        {
            return; // began in the previous chunk, which saw it whole, or begins in the next
        }

        var hex = window.Slice(start, MarketingHexLength);
        if (IsAlphanumericBefore(window, start) || hex.ContainsAnyExcept(HexLower))
        {
            return;
        }

        var digits = 0;
        while (digits < 3 && char.IsAsciiDigit(CharAt(window, dash + 3 + digits)))
        {
            digits++;
        }

        var length = MarketingHexLength + 3 + digits;
        if (digits is 0 or 3 || char.IsAsciiLetterOrDigit(CharAt(window, start + length)) || IsPlaceholder(hex))
        {
            return;
        }

        Report(ScanRules.MarketingKey, window.Slice(start, length), ref cursor, start);
    }

    /// <summary><c>md-</c> + 22 of <c>[A-Za-z0-9_-]</c>, not preceded or followed by a letter or digit.</summary>
    private void CheckPrefixedTransactionalKey(ReadOnlySpan<char> window, int limit, int start, ref LineCursor cursor)
    {
        const int length = 3 + Core.Keys.TransactionalKey.BodyLength;
        if (start >= limit || start + length > window.Length || IsAlphanumericBefore(window, start))
        {
            return;
        }

        var body = window.Slice(start + 3, Core.Keys.TransactionalKey.BodyLength);
        if (body.ContainsAnyExcept(KeyChars) || char.IsAsciiLetterOrDigit(CharAt(window, start + length)) || IsPlaceholder(body))
        {
            return;
        }

        Report(ScanRules.TransactionalKey, window.Slice(start, length), ref cursor, start);
    }

    /// <summary><c>kw_</c> + 36 base62 with a valid checksum, not preceded or followed by a letter or digit.</summary>
    private void CheckToken(ReadOnlySpan<char> window, int limit, int start, ref LineCursor cursor)
    {
        if (start >= limit || start + GatewayToken.Length > window.Length || IsAlphanumericBefore(window, start))
        {
            return;
        }

        var token = window.Slice(start, GatewayToken.Length);
        if (char.IsAsciiLetterOrDigit(CharAt(window, start + GatewayToken.Length))
            || !GatewayToken.IsValid(token)
            || IsPlaceholder(token.Slice(GatewayToken.Prefix.Length, GatewayToken.RandomLength)))
        {
            return;
        }

        Report(ScanRules.KeywardenToken, token, ref cursor, start);
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
    private void FindKeywordLines(ReadOnlySpan<char> window, int limit)
    {
        _keywordLines.Clear();
        _lastKeywordLineBeforeLimit = long.MinValue;
        var cursor = Cursor(window);
        var from = 0;
        int index;
        while ((index = window[from..].IndexOfAny(MandrillKeywords)) >= 0)
        {
            var line = cursor.LineAt(from + index);
            if (from + index < limit)
            {
                _lastKeywordLineBeforeLimit = line;
            }

            if (_keywordLines.Count == 0 || _keywordLines[^1] != line)
            {
                _keywordLines.Add(line);
            }

            from += index + 1;
        }
    }

    /// <summary>
    /// 22 of <c>[A-Za-z0-9_-]</c>, not preceded or followed by a letter or digit, mixing digits, upper- and
    /// lower-case letters, with a Mandrill keyword on the line or one of the two above.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FindBareTransactionalKeys(ReadOnlySpan<char> window, int from, int limit, List<RawFinding> target, bool nearKeywordOnly)
    {
        const int length = Core.Keys.TransactionalKey.BodyLength;
        var cursor = Cursor(window);

        // Only runs of 22 or more key characters can hold a candidate: find them with a vectorised pass (most text,
        // minified JS included, has none), then look at each run's candidates.
        var position = from;
        while (position < limit)
        {
            var runStart = KeyRuns.IndexOfLongRun(window, position, limit, length);
            if (runStart < 0)
            {
                break;
            }

            var runLength = window[runStart..].IndexOfAnyExcept(KeyChars);
            var runEnd = runLength < 0 ? window.Length : runStart + runLength;
            position = runEnd;

            // Candidate starts in a run: its first character, and each character after a '_' or '-'.
            var start = runStart;
            while (start < limit && start + length <= runEnd)
            {
                if (!IsAlphanumericBefore(window, start)
                    && !char.IsAsciiLetterOrDigit(CharAt(window, start + length))
                    && !IsPartOfMdKey(window, start)
                    && IsMixed(window.Slice(start, length))
                    && (!nearKeywordOnly || IsNearKeyword(cursor.LineAt(start)))
                    // Counted only when the keyword is known to be there (a pending candidate may never become one).
                    && !(nearKeywordOnly ? IsPlaceholder(window.Slice(start, length)) : Placeholders.IsPlaceholder(window.Slice(start, length))))
                {
                    Report(target, ScanRules.TransactionalKey, window.Slice(start, length), ref cursor, start);
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

    private bool IsNearKeyword(long line)
    {
        if (_lastKeywordLine >= line - 2 && _lastKeywordLine <= line)
        {
            return true;
        }

        foreach (var keywordLine in _keywordLines)
        {
            if (keywordLine >= line - 2 && keywordLine <= line)
            {
                return true;
            }
        }

        return false;
    }

    private void Report(string ruleId, ReadOnlySpan<char> secret, ref LineCursor cursor, int start) =>
        Report(_findings, ruleId, secret, ref cursor, start);

    private static void Report(List<RawFinding> target, string ruleId, ReadOnlySpan<char> secret, ref LineCursor cursor, int start)
    {
        var line = cursor.LineAt(start);
        target.Add(new RawFinding(ruleId, secret.ToString(), line, cursor.ColumnAt(start)));
    }

    private bool IsAlphanumericBefore(ReadOnlySpan<char> window, int index) =>
        char.IsAsciiLetterOrDigit(index > 0 ? window[index - 1] : _previous);

    /// <summary>A candidate inside an <c>md-</c> key (its body, or the prefix and part of the body) is that key's business.</summary>
    private static bool IsPartOfMdKey(ReadOnlySpan<char> window, int index) =>
        window[index..].StartsWith(Core.Keys.TransactionalKey.MdPrefix, StringComparison.Ordinal)
        || (index >= 3 && window.Slice(index - 3, 3).SequenceEqual(Core.Keys.TransactionalKey.MdPrefix));

    /// <summary>Past the end of the window is the end of the text (the window always holds a secret's look-ahead).</summary>
    private static char CharAt(ReadOnlySpan<char> window, int index) => index < window.Length ? window[index] : '\0';

    private static bool IsMixed(ReadOnlySpan<char> text) =>
        text.ContainsAnyInRange('0', '9') && text.ContainsAnyInRange('A', 'Z') && text.ContainsAnyInRange('a', 'z');
}
