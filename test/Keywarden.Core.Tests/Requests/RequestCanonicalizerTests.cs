using Keywarden.Core.Keys;
using Keywarden.Core.Requests;

namespace Keywarden.Core.Tests.Requests;

public sealed class RequestCanonicalizerTests
{
    private static CanonicalRequest Ok(string method, string target, params string[] overrides)
    {
        var result = RequestCanonicalizer.Canonicalize(method, target, overrides);
        Assert.True(result.Success, $"{result.Error}: {result.Detail}");
        Assert.Equal(CanonicalizationError.None, result.Error);
        Assert.Null(result.Detail);
        return result.Request!;
    }

    private static CanonicalizationError Error(string method, string target, params string[] overrides)
    {
        var result = RequestCanonicalizer.Canonicalize(method, target, overrides);
        Assert.False(result.Success);
        Assert.Null(result.Request);
        Assert.NotNull(result.Detail);
        return result.Error;
    }

    [Fact]
    public void Canonicalize_MarketingPath_KeepsQueryAndCase()
    {
        var request = Ok("get", "/3.0/lists/ABC123/members?count=10&fields=members.id");

        Assert.Equal(UpstreamKind.Marketing, request.Api);
        Assert.Equal(new CanonicalOperation("GET", "/lists/ABC123/members"), request.Operation);
        Assert.Equal("/3.0/lists/ABC123/members", request.ForwardPath);
        Assert.Equal("count=10&fields=members.id", request.Query);
        Assert.False(request.IsBatch);
    }

    [Theory]
    [InlineData("/3.0")]
    [InlineData("/3.0/")]
    [InlineData("/3.0/.")]
    [InlineData("/3.0/lists/..")]
    [InlineData("/3.0/lists/../")]
    public void Canonicalize_AccountRoot_IsSlashAndForwardedWithTrailingSlash(string target)
    {
        var request = Ok("GET", target);

        Assert.Equal("/", request.Operation.Path);
        Assert.Equal("/3.0/", request.ForwardPath);
    }

    [Theory]
    [InlineData("/3.0/lists?", null)]
    [InlineData("/3.0/lists", null)]
    [InlineData("/3.0/lists?a=%0A", "a=%0A")]
    [InlineData("/3.0/lists?a=b?c", "a=b?c")]
    public void Canonicalize_Query_IsForwardedAsReceivedOrNullWhenEmpty(string target, string? query) =>
        Assert.Equal(query, Ok("GET", target).Query);

    [Theory]
    [InlineData("/3.0/lists/caf%C3%A9", "/lists/café", "/3.0/lists/caf%C3%A9")]
    [InlineData("/3.0/lists/a%20b", "/lists/a b", "/3.0/lists/a%20b")]
    [InlineData("/3.0/lists/%41%42", "/lists/AB", "/3.0/lists/AB")]
    [InlineData("/3.0/lists/a@b.com", "/lists/a@b.com", "/3.0/lists/a@b.com")]
    [InlineData("/3.0/lists/a%2Bb", "/lists/a+b", "/3.0/lists/a%2Bb")]
    [InlineData("/3.0/lists/%3F%23", "/lists/?#", "/3.0/lists/%3F%23")]
    [InlineData("/3.0/lists/..x", "/lists/..x", "/3.0/lists/..x")]
    [InlineData("/3.0/lists/~x_y-z", "/lists/~x_y-z", "/3.0/lists/~x_y-z")]
    public void Canonicalize_Segments_AreDecodedOnceAndReencodedMinimally(string target, string judged, string forward)
    {
        var request = Ok("GET", target);

        Assert.Equal(judged, request.Operation.Path);
        Assert.Equal(forward, request.ForwardPath);
    }

    [Theory]
    [InlineData("POST", "/3.0/batches", true)]
    [InlineData("POST", "/3.0/Batches/", true)]
    [InlineData("POST", "/3.0/lists/../batches", true)]
    [InlineData("GET", "/3.0/batches", false)]
    [InlineData("POST", "/3.0/batches/abc", false)]
    [InlineData("POST", "/3.0/batch", false)]
    public void Canonicalize_BatchStart_IsFlaggedWhateverItsSpelling(string method, string target, bool isBatch) =>
        Assert.Equal(isBatch, Ok(method, target).IsBatch);

    [Fact]
    public void Canonicalize_OverrideToPostOnBatches_IsABatch() => Assert.True(Ok("POST", "/3.0/batches", "post").IsBatch);

    [Fact]
    public void Canonicalize_OverrideAwayFromPostOnBatches_IsNotABatch() => Assert.False(Ok("POST", "/3.0/batches", "GET").IsBatch);

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public void Canonicalize_EveryAllowedMethod_IsUpperCase(string method) =>
        Assert.Equal(method, Ok(method.ToLowerInvariant(), "/3.0/lists").Operation.Method);

    [Theory]
    [InlineData("OPTIONS")]
    [InlineData("TRACE")]
    [InlineData("CONNECT")]
    [InlineData("GET ")]
    [InlineData("")]
    public void Canonicalize_OtherMethods_AreUnknown(string method) =>
        Assert.Equal(CanonicalizationError.UnknownMethod, Error(method, "/3.0/lists"));

    [Fact]
    public void Canonicalize_OverrideValues_AreTrimmed() => Assert.Equal("PUT", Ok("POST", "/3.0/lists/a", " put\t").Operation.Method);

    [Fact]
    public void Canonicalize_ConflictingOverrideHeaders_AreAmbiguousEvenOnGet() =>
        Assert.Equal(CanonicalizationError.AmbiguousMethodOverride, Error("GET", "/3.0/lists", "DELETE", "PUT"));

    [Theory]
    [InlineData("/api/1.0/users/ping.json", "users/ping")]
    [InlineData("/api/1.0/users/ping", "users/ping")]
    [InlineData("/api/1.3/Users/Ping2.Json", "users/ping2")]
    [InlineData("/api/1.0/messages/send-template.json/", "messages/send-template")]
    [InlineData("/api/1.0/messages/%73end.json", "messages/send")]
    [InlineData("/api/1.0/messages/search_time-series", "messages/search_time-series")]
    public void Canonicalize_TransactionalPath_IsGroupSlashMethodForwardedAsJsonOnVersion10(string target, string method)
    {
        var request = Ok("POST", target);

        Assert.Equal(UpstreamKind.Transactional, request.Api);
        Assert.Equal(new CanonicalOperation("POST", method), request.Operation);
        Assert.Equal($"/api/1.0/{method}.json", request.ForwardPath);
        Assert.Null(request.Query);
        Assert.False(request.IsBatch);
    }

    [Theory]
    [InlineData("/api/1.0/messages/send.yaml", CanonicalizationError.UnsupportedFormat)]
    [InlineData("/api/1.0/messages/send.XML", CanonicalizationError.UnsupportedFormat)]
    [InlineData("/api/1.0/messages/send.json.json", CanonicalizationError.NotAnApiPath)]
    [InlineData("/api/1.0/messages/.json", CanonicalizationError.NotAnApiPath)]
    [InlineData("/api/1.0/messages/send!.json", CanonicalizationError.NotAnApiPath)]
    [InlineData("/api/1.0/mess%C3%A1ges/send.json", CanonicalizationError.NotAnApiPath)]
    [InlineData("/api/1.0/users.json", CanonicalizationError.NotAnApiPath)]
    [InlineData("/api/1.0", CanonicalizationError.NotAnApiPath)]
    [InlineData("/api", CanonicalizationError.NotAnApiPath)]
    [InlineData("/api/", CanonicalizationError.NotAnApiPath)]
    [InlineData("/api/1.0/users/..", CanonicalizationError.DotSegmentEscapesRoot)]
    [InlineData("/api/1.0/users/%2e%2e", CanonicalizationError.DotSegmentEscapesRoot)]
    [InlineData("/api/1.0/users/ping;x.json", CanonicalizationError.MatrixParameter)]
    [InlineData("/api/1.0/users\\ping.json", CanonicalizationError.Backslash)]
    [InlineData("/api/1.0/users/ping%00.json", CanonicalizationError.ControlCharacter)]
    public void Canonicalize_BadTransactionalPaths_AreRefused(string target, CanonicalizationError error) =>
        Assert.Equal(error, Error("POST", target));

    [Theory]
    [InlineData("")]
    [InlineData("*")]
    [InlineData("3.0/lists")]
    [InlineData("/")]
    [InlineData("//3.0/lists")]
    [InlineData("/3.0lists")]
    [InlineData("/4.0/lists")]
    [InlineData("/_sandbox/keys")]
    public void Canonicalize_NonApiTargets_AreNotApiPaths(string target) =>
        Assert.Equal(CanonicalizationError.NotAnApiPath, Error("GET", target));

    [Theory]
    [InlineData("/3.0/lists/a b")]
    [InlineData("/3.0/lists/a\"b")]
    [InlineData("/3.0/lists/<x>")]
    [InlineData("/3.0/lists/a|b")]
    [InlineData("/3.0/lists/%EF%BC%8E%EF%BC%8E")]
    [InlineData("/3.0/lists/%E2%80%AE")]
    [InlineData("/3.0/lists/%EF%BB%BF")]
    public void Canonicalize_CharactersOutsidePcharOrLookalikes_AreInvalid(string target) =>
        Assert.Equal(CanonicalizationError.InvalidCharacter, Error("GET", target));

    [Theory]
    [InlineData("/3.0/lists/...")]
    [InlineData("/3.0/lists./x")]
    [InlineData("/3.0/lists/x%2e")]
    [InlineData("/3.0/lists/x%20")]
    [InlineData("/3.0/lists/x./../y")] // refused even where a later '..' would drop it
    public void Canonicalize_SegmentEndingInDotOrSpace_IsRefused(string target) =>
        Assert.Equal(CanonicalizationError.TrailingDotOrSpace, Error("GET", target));

    [Theory]
    [InlineData("/3.0/lists/%ED%A0%80")] // an encoded surrogate
    [InlineData("/3.0/lists/%FF")]
    [InlineData("/3.0/lists/%C3")]
    public void Canonicalize_InvalidUtf8_IsInvalidPercentEncoding(string target) =>
        Assert.Equal(CanonicalizationError.InvalidPercentEncoding, Error("GET", target));

    [Theory]
    [InlineData("/3.0/lists/%C2%85")] // NEL, a C1 control
    [InlineData("/3.0/lists/%7F")]
    [InlineData("/3.0/lists?a=\tb")]
    public void Canonicalize_OtherControlCharacters_AreRefused(string target) =>
        Assert.Equal(CanonicalizationError.ControlCharacter, Error("GET", target));

    [Fact]
    public void Canonicalize_ErrorDetail_NeverEchoesThePath()
    {
        var result = RequestCanonicalizer.Canonicalize("GET", "/3.0/SECRETSEGMENT%2Fx", []);

        Assert.DoesNotContain("SECRET", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Canonicalize_DeepDotSegments_ResolveAgainstTheRightParents()
    {
        var request = Ok("GET", "/3.0/a/b/c/../../d/./e/..");

        Assert.Equal("/a/d", request.Operation.Path);
        Assert.Equal("/3.0/a/d", request.ForwardPath);
    }
}
