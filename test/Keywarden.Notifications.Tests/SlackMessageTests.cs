using System.Text.Json;
using Keywarden.Core.Monitoring;

namespace Keywarden.Notifications.Tests;

public sealed class SlackMessageTests
{
    [Fact]
    public void Body_IsOneTextField_SayingWhatWhoAndWhy_WithSlackSpecialCharactersEscaped()
    {
        var notice = new AlertNotice(
            "al_1", "decoy", AlertSeverity.Critical, "tok_abc", "203.0.113.7", new DateTimeOffset(2026, 12, 3, 12, 0, 1, TimeSpan.Zero),
            new DateTimeOffset(2026, 12, 3, 12, 0, 9, TimeSpan.Zero), 3, "decoy token used by <script> & curl/8.5", "blocked 203.0.113.7 for 15 min");

        using var json = JsonDocument.Parse(SlackMessage.Body(notice));

        var text = Assert.Single(json.RootElement.EnumerateObject()).Value.GetString()!;
        Assert.Contains("*Keywarden critical alert: decoy* on token `tok_abc`", text, StringComparison.Ordinal);
        Assert.Contains("decoy token used by &lt;script&gt; &amp; curl/8.5", text, StringComparison.Ordinal);
        Assert.Contains("first seen 2026-12-03 12:00:01Z, 3 times, from 203.0.113.7", text, StringComparison.Ordinal);
        Assert.Contains("Action: blocked 203.0.113.7 for 15 min", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Notice_RoundTripsThroughItsJson()
    {
        var notice = new AlertNotice(
            "al_1", "volume", AlertSeverity.Warning, null, "2001:db8::1", new DateTimeOffset(2026, 12, 3, 12, 0, 1, 123, TimeSpan.Zero),
            new DateTimeOffset(2026, 12, 3, 13, 0, 0, TimeSpan.Zero), 12, "412 requests in an hour; usually 20");

        Assert.Equal(notice, AlertNotice.FromJson(notice.ToJson()));
        Assert.Throws<FormatException>(() => AlertNotice.FromJson("""{"id":"al_1"}"""));
    }
}
