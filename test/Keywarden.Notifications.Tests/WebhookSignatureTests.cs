using System.Text;

namespace Keywarden.Notifications.Tests;

public sealed class WebhookSignatureTests
{
    private const string Secret = "kwwh_FAKE0000000000000000000000000000000000000"; // FAKE
    private static readonly DateTimeOffset At = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"type":"keywarden.alert","id":"al_1"}""");

    [Fact]
    public void Sign_IsHmacSha256OfTheTimestampAFullStopAndTheBody_PinnedVector()
    {
        // Computed outside .NET: python3 -c 'import hmac,hashlib; print(hmac.new(SECRET, b"1796299200." + BODY, hashlib.sha256).hexdigest())'
        const string expected = "62cbbed4c75915eb2a1c8cad81121ba34fdacc8d4ec6187963f775512ceb2973";

        Assert.Equal("t=1796299200,v1=" + expected, WebhookSignature.Sign(Secret, At, Body));
    }

    [Fact]
    public void Verify_AcceptsItsOwnSignature_WithinTheTolerance()
    {
        var header = WebhookSignature.Sign(Secret, At, Body);

        Assert.True(WebhookSignature.Verify(Secret, header, Body, At.AddMinutes(4), TimeSpan.FromMinutes(5)));
    }

    [Theory]
    [InlineData("tampered body")]
    [InlineData("other secret")]
    [InlineData("too old")]
    [InlineData("no header")]
    [InlineData("garbage header")]
    public void Verify_RefusesWhatWasNotSignedSoRecently(string change)
    {
        var header = WebhookSignature.Sign(Secret, At, Body);
        var body = Body;
        var secret = Secret;
        var now = At;
        switch (change)
        {
            case "tampered body":
                body = Encoding.UTF8.GetBytes("""{"type":"keywarden.alert","id":"al_2"}""");
                break;
            case "other secret":
                secret = "kwwh_FAKE1111111111111111111111111111111111111"; // FAKE
                break;
            case "too old":
                now = At.AddMinutes(6);
                break;
            case "no header":
                header = null;
                break;
            default:
                header = "t=abc,v1=zz";
                break;
        }

        Assert.False(WebhookSignature.Verify(secret, header, body, now, TimeSpan.FromMinutes(5)));
    }
}
