using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Keywarden.Core.Keys;
using Keywarden.Core.Providers;

namespace Keywarden.Scanner.Tests.Providers;

/// <summary>
/// An upstream API this build does not know, made up for the tests: keys <c>zq_live_</c> + 24 lower-case hex, and bare
/// 22-character keys (shaped like bare Mandrill keys) believed near the word <c>zequal</c>. It proves the scanner finds a new API's keys from its
/// <see cref="IUpstreamApi.SecretPatterns"/> alone.
/// </summary>
internal sealed class ThirdApi : IUpstreamApi
{
    public const string PrefixedRule = "zequal-live-key";

    public const string BareRule = "zequal-bare-key";

    public UpstreamKind Kind => (UpstreamKind)77;

    public string Name => "zequal";

    public string DisplayName => "Zequal";

    public string BaseUrlVariable => "KEYWARDEN_ZEQUAL_BASE_URL";

    public IReadOnlyList<SecretPattern> SecretPatterns { get; } = [new LiveKeyPattern(), new BareKeyPattern()];

    public bool TryParseKey(string text, [NotNullWhen(true)] out UpstreamKey? key)
    {
        key = null;
        return false;
    }

    public Uri KeysPage(string? datacenter) => new("https://zequal.invalid/keys");

    public string CreateKeyStep(string keyName) => $"create {keyName}";

    public string RevokeKeyStep(string oldKey) => $"revoke {oldKey}";

    public Task<KeyVerification> VerifyAsync(HttpClient http, UpstreamKey key, Uri? baseAddress, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("the made-up API has no server");

    private sealed class LiveKeyPattern() : AnchoredSecretPattern(PrefixedRule, "Zequal live key", "zq_live_", 32)
    {
        private static readonly SearchValues<char> Hex = SearchValues.Create("0123456789abcdef");

        public override bool TryMatch(ReadOnlySpan<char> text, int anchorAt, out int start, out int length)
        {
            (start, length) = (anchorAt, 32);
            return anchorAt + 32 <= text.Length && !text.Slice(anchorAt + 8, 24).ContainsAnyExcept(Hex);
        }

        public override Range Body(int length) => 8..;
    }

    private sealed class BareKeyPattern() : ContextSecretPattern(BareRule, "Zequal key without prefix", 22, ["zequal"], linesAbove: 0)
    {
        public override bool IsCandidate(ReadOnlySpan<char> candidate) =>
            candidate.ContainsAnyInRange('0', '9') && candidate.ContainsAnyInRange('A', 'Z');
    }
}
