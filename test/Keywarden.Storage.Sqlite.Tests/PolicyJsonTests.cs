using Keywarden.Core.Policy;
using Keywarden.Storage.Contract;
using Keywarden.Storage.Sqlite.Json;

namespace Keywarden.Storage.Sqlite.Tests;

public sealed class PolicyJsonTests
{
    [Fact]
    public void Serialize_FullPolicy_WritesTheDocumentedFormat()
    {
        var json = PolicyJson.Serialize(Samples.FullPolicy);

        Assert.Equal(
            """{"read_only":true,"paths":["/lists/**","/ping"],"methods":["messages/send","users/ping"],"cidrs":["10.0.0.0/8","2001:db8::/32"],"origins":["https://app.example.org"],"not_before":"2025-03-14T15:09:26.535Z","expires_at":"2025-04-13T15:09:26.536Z","rate":{"requests":600,"window_ms":60000},"from_domains":["news.example.org","mail.example.org"],"max_recipients":50,"daily_quota":10000}""",
            json);
    }

    [Fact]
    public void Serialize_EmptyPolicy_LeavesOutWhatIsAbsent()
    {
        Assert.Equal("""{"read_only":false,"paths":[],"methods":[],"cidrs":[],"origins":[],"from_domains":[]}""", PolicyJson.Serialize(new TokenPolicy()));
    }

    [Fact]
    public void Deserialize_MinimalDocument_GivesEmptyListsNotNulls()
    {
        var policy = PolicyJson.Deserialize("{}", "tok_1");

        RecordAssert.Equal(new TokenPolicy(), policy);
    }

    [Fact]
    public void Serialize_RateWithAnUnusualWindow_ReadsBackExactly()
    {
        var policy = new TokenPolicy { Rate = new RateLimit(7, TimeSpan.FromMilliseconds(1_500)) };

        Assert.Equal(policy.Rate, PolicyJson.Deserialize(PolicyJson.Serialize(policy), "tok_1").Rate);
    }

    [Fact]
    public void Serialize_TextWithAnUnpairedSurrogate_IsRefusedRatherThanAltered()
    {
        var policy = new TokenPolicy { Paths = ["/lists/\uD800"] };

        var error = Assert.Throws<ArgumentException>(() => PolicyJson.Serialize(policy));

        Assert.Contains("paths", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"expires_at":"tomorrow"}""")]
    [InlineData("""{"paths":"/lists/**"}""")]
    public void Deserialize_DamagedDocument_IsIncompatibleAndNamesTheToken(string json)
    {
        var error = Assert.Throws<StorageException>(() => PolicyJson.Deserialize(json, "tok_7"));

        Assert.Equal(StorageError.Incompatible, error.Error);
        Assert.Contains("tok_7", error.Message, StringComparison.Ordinal);
    }
}
