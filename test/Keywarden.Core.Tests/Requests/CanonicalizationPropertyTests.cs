using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Keywarden.Core.Requests;

namespace Keywarden.Core.Tests.Requests;

public sealed class CanonicalizationPropertyTests
{
    // Pieces that exercise every rule: dots (raw, encoded, double-encoded), separators, escapes, case, UTF-8.
    private static readonly string[] Pieces =
    [
        "lists", "LISTS", "a", "B9", "..", ".", "%2e", "%2E%2e", ".%2E", "%2F", "%2f", "%252F", "%255C", "%5C", "\\",
        ";", "%3B", "", "%20", "%C3%A9", "%E2%80%8B", "%EF%BC%8F", "%00", "%0A", "+", "%2B", "~", "@", ":", "%25", "%",
        "%zz", "x%41", "%C0%AF", "3.0", "batches", "*", "!$&'()*,=", "%3F", "%23", "é",
    ];

    private static readonly Gen<string> Segment = Gen.OneOf(
        Gen.Elements(Pieces),
        Gen.Elements(Pieces).Two().Select(t => t.Item1 + t.Item2));

    private static readonly Gen<string> MarketingTarget =
        Gen.ListOf(Segment).Select(s => "/3.0/" + string.Join('/', s))
            .Zip(Gen.Elements("", "?", "?a=1&b=%2F", "?x=\n"), (p, q) => p + q);

    private static readonly Gen<string> AnyTarget = Gen.OneOf(
        MarketingTarget,
        ArbMap.Default.GeneratorFor<NonNull<string>>().Select(s => "/3.0/" + s.Get),
        ArbMap.Default.GeneratorFor<NonNull<string>>().Select(s => "/api/1.0/" + s.Get),
        Gen.ListOf(Segment).Select(s => "/api/" + string.Join('/', s)));

    private static readonly Gen<string> Method = Gen.Elements("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "get");

    [Property(MaxTest = 3000)]
    public Property Canonicalize_IsIdempotent_OnItsOwnForwardedForm() =>
        Prop.ForAll(Arb.From(Method), Arb.From(AnyTarget), (method, target) =>
        {
            var first = RequestCanonicalizer.Canonicalize(method, target, []);
            if (!first.Success)
            {
                return true;
            }

            var request = first.Request!;
            var again = RequestCanonicalizer.Canonicalize(
                request.Operation.Method,
                request.ForwardPath + (request.Query is null ? "" : "?" + request.Query),
                []);
            return again.Success && again.Request == request;
        });

    [Property(MaxTest = 3000)]
    public Property Canonicalize_CanonicalPath_HasNoAmbiguousPart() =>
        Prop.ForAll(Arb.From(Method), Arb.From(AnyTarget), (method, target) =>
        {
            var result = RequestCanonicalizer.Canonicalize(method, target, []);
            if (!result.Success)
            {
                return true;
            }

            // A Transactional operation is "group/method", without the leading slash of a Marketing path.
            var path = result.Request!.Operation.Path;
            return IsUnambiguous(result.Request.Api == Core.Keys.UpstreamKind.Transactional ? "/" + path : path) && IsUnambiguous(result.Request.ForwardPath);
        });

    [Property(MaxTest = 3000)]
    public Property Canonicalize_ForwardPath_DecodesToExactlyTheJudgedPath() =>
        Prop.ForAll(Arb.From(MarketingTarget), target =>
        {
            var result = RequestCanonicalizer.Canonicalize("GET", target, []);
            if (!result.Success)
            {
                return true;
            }

            var request = result.Request!;
            var forwarded = request.ForwardPath["/3.0".Length..];
            return Uri.UnescapeDataString(forwarded == "/" ? "/" : forwarded) == request.Operation.Path
                && forwarded.All(c => c < 0x80 && !char.IsControl(c) && c is not ('+' or '?' or '#' or ';' or '\\'));
        });

    [Property(MaxTest = 2000)]
    public Property CanonicalizeBatch_OperationPath_IsJudgedLikeTheSameRequestPath() =>
        Prop.ForAll(Arb.From(Gen.ListOf(Segment).Select(s => "/" + string.Join('/', s))), path =>
        {
            var json = $"{{\"operations\":[{{\"method\":\"GET\",\"path\":{System.Text.Json.JsonSerializer.Serialize(path)}}}]}}";
            var batch = RequestCanonicalizer.CanonicalizeBatch(Encoding.UTF8.GetBytes(json));
            var request = RequestCanonicalizer.Canonicalize("GET", "/3.0" + path, []);
            if (!batch.Success)
            {
                return true; // batches refuse more (a repeated /3.0, a query), never less
            }

            return request.Success && batch.Operations!.Single() == request.Request!.Operation;
        });

    private static bool IsUnambiguous(string path) =>
        path.StartsWith('/')
        && !path.Contains("//", StringComparison.Ordinal)
        && !path.Contains("/./", StringComparison.Ordinal)
        && !path.Contains("/../", StringComparison.Ordinal)
        && !path.EndsWith("/..", StringComparison.Ordinal)
        && !path.EndsWith("/.", StringComparison.Ordinal)
        && !path.Contains('\\', StringComparison.Ordinal)
        && !path.Contains(';', StringComparison.Ordinal)
        && !path.Contains("%2F", StringComparison.OrdinalIgnoreCase)
        && !path.Contains("%5C", StringComparison.OrdinalIgnoreCase)
        && !path.Any(char.IsControl);
}
