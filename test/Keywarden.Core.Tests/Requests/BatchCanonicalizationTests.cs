using System.Text;
using Keywarden.Core.Requests;

namespace Keywarden.Core.Tests.Requests;

public sealed class BatchCanonicalizationTests
{
    private static BatchCanonicalization Read(string json) => RequestCanonicalizer.CanonicalizeBatch(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void CanonicalizeBatch_DocumentedShape_GivesEachOperationInOrder()
    {
        var result = Read("""
            {"operations":[
              {"method":"GET","path":"/lists/abc/members","params":{"count":10,"fields":["a","b"]},"operation_id":"one"},
              {"method":"post","path":"lists/abc/members","body":"{\"email_address\":\"a@b.c\"}","operation_id":null},
              {"method":"DELETE","path":"/lists/abc/members/f00d/","params":null,"body":null}
            ]}
            """);

        Assert.True(result.Success, result.Detail);
        Assert.Equal(
            [new("GET", "/lists/abc/members"), new("POST", "/lists/abc/members"), new("DELETE", "/lists/abc/members/f00d")],
            result.Operations!);
    }

    [Fact]
    public void CanonicalizeBatch_ByteOrderMark_IsIgnored() =>
        Assert.True(RequestCanonicalizer.CanonicalizeBatch([0xEF, 0xBB, 0xBF, .. "{\"operations\":[{\"method\":\"GET\",\"path\":\"/\"}]}"u8]).Success);

    [Fact]
    public void CanonicalizeBatch_EscapedPropertyNames_AreReadAsTheirValue()
    {
        var result = Read("{\"operation\\u0073\":[{\"m\\u0065thod\":\"GET\",\"path\":\"\\/lists\"}]}");

        Assert.Equal([new("GET", "/lists")], result.Operations!);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("{\"operations\":{}}")]
    [InlineData("{\"operations\":[]}")]
    [InlineData("{\"operations\":null}")]
    [InlineData("{\"Operations\":[{\"method\":\"GET\",\"path\":\"/\"}]}")]
    [InlineData("{\"operations\":[{\"method\":\"GET\",\"path\":\"/\"}]} {}")]
    [InlineData("{\"operations\":[{\"method\":\"GET\",\"path\":\"/\"},]}")]
    [InlineData("{\"operations\":[{\"method\":\"GET\",\"path\":\"/\"}] /* c */}")]
    [InlineData("{\"operations\":[{\"method\":\"GET\",\"path\":\"/\"}]")]
    [InlineData("{\"operations\":[{\"method\":\"GET\",\"path\":\"/\"}],\"callback\":\"x\"}")]
    public void CanonicalizeBatch_NotTheDocumentedShape_IsMalformed(string json) =>
        Assert.Equal(CanonicalizationError.MalformedBatch, Read(json).Error);

    [Fact]
    public void CanonicalizeBatch_InvalidUtf8InAString_IsMalformed() =>
        Assert.Equal(
            CanonicalizationError.MalformedBatch,
            RequestCanonicalizer.CanonicalizeBatch([.. "{\"operations\":[{\"method\":\"GET\",\"path\":\"/l"u8, 0xC3, 0x28, .. "\"}]}"u8]).Error);

    [Theory]
    [InlineData("[1]")]
    [InlineData("[{\"path\":\"/lists\"}]")]
    [InlineData("[{\"method\":\"GET\"}]")]
    [InlineData("[{\"method\":1,\"path\":\"/lists\"}]")]
    [InlineData("[{\"method\":\"GET\",\"path\":[\"/lists\"]}]")]
    [InlineData("[{\"method\":\"GET\",\"path\":\"/lists\",\"params\":\"count=1\"}]")]
    [InlineData("[{\"method\":\"GET\",\"path\":\"/lists\",\"body\":{}}]")]
    [InlineData("[{\"method\":\"GET\",\"path\":\"/lists\",\"headers\":{}}]")]
    [InlineData("[{\"method\":\"GET\",\"path\":\"/lists\",\"path\":\"/automations\"}]")]
    [InlineData("[{\"method\":\"GET\",\"path\":\"/lists\",\"params\":{},\"params\":{}}]")]
    [InlineData("[{\"method\":\"OPTIONS\",\"path\":\"/lists\"}]")]
    [InlineData("[{\"method\":\"GET\",\"path\":\"\"}]")]
    [InlineData("[{\"method\":\"GET\",\"path\":\"/lists#x\"}]")]
    [InlineData("[{\"method\":\"GET\",\"path\":\"https://us1.api.mailchimp.com/3.0/lists\"}]")]
    [InlineData("[{\"method\":\"GET\",\"path\":\"/3.0\"}]")]
    [InlineData("[{\"method\":\"GET\",\"path\":\"/%33.0/lists\"}]")]
    [InlineData("[{\"method\":\"POST\",\"path\":\"/BATCHES/\"}]")]
    [InlineData("[{\"method\":\"GET\",\"path\":\"/lists/\\u0000\"}]")]
    [InlineData("[{\"method\":\"GET\",\"path\":\"/lists/\u00e9\"}]")]
    public void CanonicalizeBatch_BadOperation_IsInvalidAndNamesItsIndex(string operations)
    {
        var result = Read("{\"operations\":[{\"method\":\"GET\",\"path\":\"/lists\"}," + operations[1..] + "}");

        Assert.Equal(CanonicalizationError.BatchOperationInvalid, result.Error);
        Assert.StartsWith("operation 1: ", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void CanonicalizeBatch_GetOfBatches_IsAnOrdinaryOperation() =>
        Assert.Equal([new("GET", "/batches")], Read("{\"operations\":[{\"method\":\"GET\",\"path\":\"/batches\"}]}").Operations!);

    [Fact]
    public void CanonicalizeBatch_AtTheBound_IsAcceptedAndOneMoreIsTooMany()
    {
        static string Batch(int count) =>
            "{\"operations\":[" + string.Join(',', Enumerable.Repeat("{\"method\":\"GET\",\"path\":\"/lists\"}", count)) + "]}";

        Assert.Equal(RequestCanonicalizer.MaxBatchOperations, Read(Batch(RequestCanonicalizer.MaxBatchOperations)).Operations!.Count);
        Assert.Equal(CanonicalizationError.TooManyOperations, Read(Batch(RequestCanonicalizer.MaxBatchOperations + 1)).Error);
    }

    [Fact]
    public void CanonicalizeBatch_DeeplyNestedParams_AreMalformedNotACrash()
    {
        var deep = new string('[', 10_000) + new string(']', 10_000);
        var result = Read("{\"operations\":[{\"method\":\"GET\",\"path\":\"/lists\",\"params\":{\"a\":" + deep + "}}]}");

        Assert.Equal(CanonicalizationError.MalformedBatch, result.Error);
    }
}
