using Keywarden.Scanner.Detection;

namespace Keywarden.Scanner.Tests.Detection;

public sealed class PlaceholdersTests
{
    [Theory]
    [InlineData("00000000000000000000000000000000")]
    [InlineData("deadbeefdeadbeefdeadbeefdeadbeef")]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("abcabcabcabcabcabcabcabcab")]
    [InlineData("aB3_YourKeyGoesHere1234")]
    public void Placeholder_IsRecognised(string body) => Assert.True(Placeholders.IsPlaceholder(body));

    [Fact]
    public void RandomBody_IsNotAPlaceholder()
    {
        var fake = new FakeSecrets(3);
        for (var i = 0; i < 1000; i++)
        {
            Assert.False(Placeholders.IsPeriodic(fake.Pick("0123456789abcdef", 32)));
        }
    }
}
