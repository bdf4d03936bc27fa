using Keywarden.Sandbox.Transactional;

namespace Keywarden.Sandbox.Tests.Common;

public sealed class FormBodyTests
{
    [Fact]
    public void Parse_NestedBrackets_BuildsObjectsAndArrays()
    {
        var body = FormBody.Parse("key=md-abc&message%5Bsubject%5D=Hello+there&message[to][0][email]=a%40example.com&message[to][1][email]=b@example.com&message[tags][]=x&message[tags][]=y");

        Assert.Equal("md-abc", body["key"]!.GetValue<string>());
        Assert.Equal("Hello there", body["message"]!["subject"]!.GetValue<string>());
        Assert.Equal("a@example.com", body["message"]!["to"]![0]!["email"]!.GetValue<string>());
        Assert.Equal("b@example.com", body["message"]!["to"]![1]!["email"]!.GetValue<string>());
        Assert.Equal(["x", "y"], body["message"]!["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
    }

    [Fact]
    public void Parse_RepeatedName_KeepsTheLastValueLikePhp()
    {
        var body = FormBody.Parse("key=first&key=second");

        Assert.Equal("second", body["key"]!.GetValue<string>());
    }
}
