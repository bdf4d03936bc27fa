using System.Text;
using Keywarden.Core.Audit;
using Keywarden.Core.Keys;
using Keywarden.Monitoring.Replay;

namespace Keywarden.Monitoring.Tests;

public sealed class AuditExportReaderTests
{
    /// <summary>A line exactly as <c>keywarden audit export</c> writes it today (no audit facts).</summary>
    private const string Today =
        """{"sequence":7,"time":"2026-03-14T12:00:01.250Z","kind":"request","token_id":"tok_0123456789ab","upstream_id":"up_1","key_id":"key_1","client":"203.0.113.10","method":"GET","path":"/lists/abc/members","decision":"allow","rule":"allow","upstream_status":200,"latency_ms":12.5,"bytes_in":0,"bytes_out":512,"actor":null,"detail":null,"prev_hash":"00","hash":"11"}""";

    /// <summary>A line with the audit facts a Transactional send carries.</summary>
    private const string WithFacts =
        """{"sequence":8,"time":"2026-03-14T12:00:02.000Z","kind":"request","token_id":"tok_0123456789ab","upstream_id":"up_2","key_id":"key_2","client":"2001:db8::1","method":"POST","path":"messages/send","decision":"deny","rule":"from-domain","upstream_status":null,"latency_ms":0.1,"bytes_in":300,"bytes_out":90,"actor":null,"detail":null,"prev_hash":"11","hash":"22","recipients":3,"from_domain":"promo.example","user_agent":"PHPMailer \"6\""}""";

    private const string Admin =
        """{"sequence":1,"time":"2026-03-14T11:00:00.000Z","kind":"admin","token_id":null,"upstream_id":null,"key_id":null,"client":null,"method":"token.issue","path":"tok_0123456789ab","decision":"allow","rule":"admin","upstream_status":null,"latency_ms":0,"bytes_in":0,"bytes_out":0,"actor":"ops","detail":"x","prev_hash":"00","hash":"00"}""";

    [Fact]
    public void ReadsTodaysLines_AndLinesWithTheAuditFacts()
    {
        var records = ReadAll(Admin + "\n" + Today + "\r\n\n" + WithFacts);

        Assert.Equal(3, records.Count);
        Assert.Equal(AuditKind.Admin, records[0].Kind);
        var today = records[1];
        Assert.Equal(new DateTimeOffset(2026, 3, 14, 12, 0, 1, 250, TimeSpan.Zero), today.Time);
        Assert.Equal(("tok_0123456789ab", "203.0.113.10", "GET", "/lists/abc/members", AuditDecision.Allow, 200), (today.TokenId, today.Client, today.Method, today.Path, today.Decision, today.UpstreamStatus));
        Assert.Equal(UpstreamKind.Marketing, today.Api);
        Assert.Null(today.Recipients);
        var send = records[2];
        Assert.Equal((3, "promo.example", "PHPMailer \"6\"", UpstreamKind.Transactional), (send.Recipients, send.FromDomain, send.UserAgent, send.Api));
        Assert.Null(send.UpstreamStatus);
    }

    [Fact]
    public void RepeatedValues_ShareOneString()
    {
        var records = ReadAll(Today + "\n" + Today);
        Assert.Same(records[0].TokenId, records[1].TokenId);
        Assert.Same(records[0].Path, records[1].Path);
    }

    [Theory]
    [InlineData("{\"time\":", "line 2: not valid JSON")]
    [InlineData("[1,2]", "line 2: not a JSON object")]
    [InlineData("{\"time\":\"2026-03-14T12:00:00.000Z\",\"kind\":\"request\",\"method\":\"GET\",\"path\":\"/\",\"decision\":\"allow\"}", "line 2: no \"rule\"")]
    [InlineData("{\"time\":\"yesterday\",\"kind\":\"request\",\"method\":\"GET\",\"path\":\"/\",\"decision\":\"allow\",\"rule\":\"allow\"}", "line 2: \"time\" is not an ISO-8601 time")]
    [InlineData("{\"time\":\"2026-03-14T12:00:00.000Z\",\"kind\":\"request\",\"method\":\"GET\",\"path\":\"/\",\"decision\":\"maybe\",\"rule\":\"allow\"}", "line 2: \"decision\" is not one of")]
    [InlineData("{\"time\":\"2026-03-14T12:00:00.000Z\",\"kind\":\"request\",\"method\":\"GET\",\"path\":\"/\",\"decision\":\"allow\",\"rule\":\"allow\",\"upstream_status\":\"200\"}", "line 2: \"upstream_status\" is not a whole number")]
    [InlineData("{} {}", "line 2: not valid JSON")]
    public void AMalformedLine_IsNamedByItsNumber(string line, string message)
    {
        var error = Assert.Throws<AuditExportException>(() => ReadAll(Today + "\n" + line + "\n" + Today));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void ALineLongerThanTheBuffer_IsRefused_NotBuffered()
    {
        var error = Assert.Throws<AuditExportException>(() => ReadAll(Today + "\n" + new string(' ', AuditExportReader.MaxLineBytes + 10)));
        Assert.StartsWith("line 2: longer than 1024 KiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ManyLines_AreStreamedAcrossTheBuffer()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 5000; i++)
        {
            text.Append(Today).Append('\n');
        }

        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text.ToString()));
        var reader = new AuditExportReader(stream);
        var count = 0;
        while (reader.TryRead(out _))
        {
            count++;
        }

        Assert.Equal(5000, count);
        Assert.Equal(5000, reader.Line);
        Assert.Equal(stream.Length, reader.BytesRead);
    }

    private static List<MonitorEvent> ReadAll(string text)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        var reader = new AuditExportReader(stream);
        var records = new List<MonitorEvent>();
        while (reader.TryRead(out var record))
        {
            records.Add(record);
        }

        return records;
    }
}
