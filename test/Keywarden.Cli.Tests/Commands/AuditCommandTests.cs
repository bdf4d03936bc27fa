using System.Text;
using System.Text.Json;
using Keywarden.Testing;
using Microsoft.Data.Sqlite;

namespace Keywarden.Cli.Tests.Commands;

public sealed class AuditCommandTests
{
    private const string Key = "0123456789abcdef0123456789abcdef-us3";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AuditTail_WithActor_ShowsOnlyThatActorsAdminActions()
    {
        await using var cli = await PrepareAsync();
        var id = await IssueAsync(cli);
        Assert.Equal(0, (await cli.RunAsync("token", "revoke", id)).ExitCode);

        var mine = await cli.RunAsync("audit", "tail", "--actor", Environment.UserName, "--json");
        var nobody = await cli.RunAsync("audit", "tail", "--actor", "nobody-else", "--json");
        var last = await cli.RunAsync("audit", "tail", "--actor", Environment.UserName, "-n", "1", "--json");

        Assert.Equal(0, mine.ExitCode);
        var records = mine.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(3, records.Count);
        Assert.All(records, r => Assert.Equal(Environment.UserName, r.GetProperty("actor").GetString()));
        Assert.Equal("", nobody.Out.Trim());
        Assert.Equal("token.revoke", JsonDocument.Parse(last.Out).RootElement.GetProperty("method").GetString());
    }

    [Fact]
    public async Task AuditVerify_OnAnIntactLog_ExitsZeroAndPrintsTheHead()
    {
        await using var cli = await PrepareAsync();
        var id = await IssueAsync(cli);
        Assert.Equal(0, (await cli.RunAsync("token", "revoke", id)).ExitCode);

        var run = await cli.RunAsync("audit", "verify");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("intact: 3 records, 3 checkpoints\nhead: record 3, hash ", run.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditVerify_OnAnEmptyLog_IsIntact()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();

        var run = await cli.RunAsync("audit", "verify");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("intact: 0 records, 0 checkpoints", run.Out.Trim());
    }

    [Fact]
    public async Task AuditVerify_WithEveryRecordDeleted_ExitsOne_NamingWhatHasNoRecord()
    {
        await using var cli = await PrepareAsync();
        var id = await IssueAsync(cli);

        await ExecuteAsync(cli, "DROP TRIGGER audit_no_delete; DELETE FROM audit;");
        var text = await cli.RunAsync("audit", "verify");
        var json = await cli.RunAsync("audit", "verify", "--json");

        Assert.Equal(1, text.ExitCode);
        Assert.DoesNotContain("intact:", text.Out, StringComparison.Ordinal);
        Assert.Contains($"tampered: token {id} (issued ", text.Out, StringComparison.Ordinal);
        Assert.Contains("tampered: upstream 'news' (", text.Out, StringComparison.Ordinal);
        Assert.Contains("but the log ends at record 0", text.Out, StringComparison.Ordinal);
        var verdict = JsonDocument.Parse(json.Out).RootElement;
        Assert.False(verdict.GetProperty("intact").GetBoolean());
        Assert.Equal(0, verdict.GetProperty("records_checked").GetInt64());
        Assert.Equal(4, verdict.GetProperty("problems").GetArrayLength()); // token, upstream, 2 checkpoints past the end
    }

    [Fact]
    public async Task AuditCheckpoint_KeptInAFile_CatchesALogRewrittenInsideTheVault()
    {
        await using var cli = await PrepareAsync();
        await IssueAsync(cli);
        var file = Path.Combine(cli.DataDirectory, "..", $"kw-anchor-{Guid.NewGuid():N}.jsonl");
        try
        {
            var checkpoint = await cli.RunAsync("audit", "checkpoint", "--to", file);
            var intact = await cli.RunAsync("audit", "verify", "--checkpoints", file);

            // Whoever holds the database rewrites the log and its checkpoints consistently (same state, new hashes).
            await ExecuteAsync(cli, "DROP TRIGGER audit_no_update; DROP TRIGGER audit_checkpoints_no_delete; DELETE FROM audit_checkpoints;");
            var records = Lines((await cli.RunAsync("audit", "export")).Out);
            await ExecuteAsync(cli, "DROP TRIGGER audit_no_delete; DELETE FROM audit;");
            await RewriteAsync(cli, records);
            var inside = await cli.RunAsync("audit", "verify");
            var outside = await cli.RunAsync("audit", "verify", "--checkpoints", file);

            Assert.Equal(0, checkpoint.ExitCode);
            Assert.StartsWith("checkpoint: record 2, hash ", checkpoint.Out, StringComparison.Ordinal);
            Assert.Equal(0, intact.ExitCode);
            Assert.Contains("3 checkpoints", intact.Out, StringComparison.Ordinal); // 2 admin + the file's
            Assert.Equal(0, inside.ExitCode);
            Assert.Equal(1, outside.ExitCode);
            Assert.Contains("tampered: record 2 is not the one the checkpoint of ", outside.Out, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task AuditCheckpoint_OnAnEmptyLog_AndAVerifyWithABadCheckpointFile_ExitTwo()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        var bad = Path.Combine(cli.DataDirectory, "bad.jsonl");
        await File.WriteAllTextAsync(bad, "not json\n", Ct);

        var empty = await cli.RunAsync("audit", "checkpoint");
        var verify = await cli.RunAsync("audit", "verify", "--checkpoints", bad);
        var missing = await cli.RunAsync("audit", "verify", "--checkpoints", Path.Combine(cli.DataDirectory, "none.jsonl"));

        Assert.Equal(2, empty.ExitCode);
        Assert.Contains("the audit log is empty", empty.Error, StringComparison.Ordinal);
        Assert.Equal(2, verify.ExitCode);
        Assert.Contains("line 1: not an audit checkpoint", verify.Error, StringComparison.Ordinal);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("cannot read the checkpoints in", missing.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DROP TRIGGER audit_no_update; UPDATE audit SET path = 'tok_000000000000' WHERE sequence = 2", 2)]
    [InlineData("DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'mallory' WHERE sequence = 1", 1)]
    [InlineData("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE sequence = 2", 2)]
    public async Task AuditVerify_AfterTamperingWithRawSql_ExitsOneAndNamesTheFirstBadRecord(string sql, int bad)
    {
        await using var cli = await PrepareAsync();
        var id = await IssueAsync(cli);
        Assert.Equal(0, (await cli.RunAsync("token", "revoke", id)).ExitCode);

        await ExecuteAsync(cli, sql);
        var text = await cli.RunAsync("audit", "verify");
        var json = await cli.RunAsync("audit", "verify", "--json");

        Assert.Equal(1, text.ExitCode);
        Assert.StartsWith($"tampered: record {bad}: ", text.Out, StringComparison.Ordinal);
        Assert.Equal(1, json.ExitCode);
        var verdict = JsonDocument.Parse(json.Out).RootElement;
        Assert.False(verdict.GetProperty("intact").GetBoolean());
        Assert.Equal(bad, verdict.GetProperty("first_bad_sequence").GetInt64());
        Assert.Equal(bad - 1, verdict.GetProperty("last_good_sequence").GetInt64());
    }

    [Fact]
    public async Task TokenIssue_AppendsAnAdminAuditRecord_ThatTailJsonShows()
    {
        await using var cli = await PrepareAsync();
        var id = await IssueAsync(cli);

        var run = await cli.RunAsync("audit", "tail", "--json");

        Assert.Equal(0, run.ExitCode);
        var records = Lines(run.Out);
        Assert.Equal(2, records.Count);
        var issue = records[^1];
        Assert.Equal(2, issue.GetProperty("sequence").GetInt64());
        Assert.Equal("admin", issue.GetProperty("kind").GetString());
        Assert.Equal("token.issue", issue.GetProperty("method").GetString());
        Assert.Equal(id, issue.GetProperty("path").GetString());
        Assert.Equal(id, issue.GetProperty("token_id").GetString());
        Assert.StartsWith("up_", issue.GetProperty("upstream_id").GetString(), StringComparison.Ordinal);
        Assert.Equal(Environment.UserName, issue.GetProperty("actor").GetString());
        Assert.Equal("allow", issue.GetProperty("decision").GetString());
        Assert.Equal(records[0].GetProperty("hash").GetString(), issue.GetProperty("prev_hash").GetString());
        Assert.Matches("^[0-9a-f]{64}$", issue.GetProperty("hash").GetString());
    }

    [Fact]
    public async Task EveryAdminAction_IsAudited_InOrder()
    {
        await using var cli = await PrepareAsync();
        var id = await IssueAsync(cli);
        Assert.Equal(0, (await cli.RunAsync("token", "revoke", id)).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("master", "rotate")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("upstream", "remove", "news")).ExitCode);

        var records = Lines((await cli.RunAsync("audit", "tail", "--json")).Out);

        Assert.Equal(
            ["upstream.add", "token.issue", "token.revoke", "master.rotate", "upstream.remove"],
            records.Select(r => r.GetProperty("method").GetString()));
        Assert.All(records, r => Assert.Equal(Environment.UserName, r.GetProperty("actor").GetString()));
        Assert.Equal("news", records[0].GetProperty("path").GetString());
        Assert.StartsWith("key_", records[0].GetProperty("key_id").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditTail_ShowsTheLatestRecordsAsATable_OrNLinesOfJson()
    {
        await using var cli = await PrepareAsync();
        var id = await IssueAsync(cli);

        var table = await cli.RunAsync("audit", "tail");
        var one = await cli.RunAsync("audit", "tail", "-n", "1", "--json");

        Assert.Equal(0, table.ExitCode);
        Assert.Contains("TIME (UTC)", table.Out, StringComparison.Ordinal);
        Assert.Contains("token.issue", table.Out, StringComparison.Ordinal);
        Assert.Contains(id, table.Out, StringComparison.Ordinal);
        Assert.Equal("token.issue", Assert.Single(Lines(one.Out)).GetProperty("method").GetString());
    }

    [Fact]
    public async Task AuditTail_OnAnEmptyLog_SaysSo()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();

        var run = await cli.RunAsync("audit", "tail");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("No audit records yet.", run.Out.Trim());
    }

    [Fact]
    public async Task AuditTailFollow_PrintsNewRecords_UntilCancelled_ThenExitsZero()
    {
        await using var cli = await PrepareAsync();
        var output = new StringWriter();
        var synchronized = TextWriter.Synchronized(output);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var context = new CliContext
        {
            In = new StringReader(""),
            Out = synchronized,
            Error = new StringWriter(),
            InputRedirected = false,
            Environment = cli.Environment,
            HomeDirectory = cli.DataDirectory,
        };

        var follow = CliApp.RunAsync(["audit", "tail", "--follow", "--json", "-n", "0"], context, stop.Token);
        var id = await IssueAsync(cli);
        await Wait.UntilAsync(() => Read().Contains(id, StringComparison.Ordinal), "--follow prints the new record");

        await stop.CancelAsync();
        var code = await follow;

        Assert.Equal(0, code);
        var line = Assert.Single(Lines(Read()));
        Assert.Equal(id, line.GetProperty("token_id").GetString());

        string Read()
        {
            lock (synchronized)
            {
                return output.ToString();
            }
        }
    }

    [Fact]
    public async Task AuditExport_WritesJsonLinesAtomically_AndSinceFilters()
    {
        await using var cli = await PrepareAsync();
        await IssueAsync(cli);
        var file = Path.Combine(cli.DataDirectory, "export", "audit.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);

        var all = await cli.RunAsync("audit", "export", "--output", file);
        var stdout = await cli.RunAsync("audit", "export");
        var future = await cli.RunAsync("audit", "export", "--since", "2999-01-01T00:00:00Z");
        var recent = await cli.RunAsync("audit", "export", "--since", "1h");
        var bad = await cli.RunAsync("audit", "export", "--since", "yesterday-ish");

        Assert.Equal(0, all.ExitCode);
        var lines = await File.ReadAllLinesAsync(file, Ct);
        Assert.Equal(2, lines.Length);
        Assert.Equal(lines, stdout.Out.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(file)!, "*.tmp"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        Assert.Equal("", future.Out);
        Assert.Equal(2, Lines(recent.Out).Count);
        Assert.Equal(2, bad.ExitCode);
    }

    [Fact]
    public async Task AuditExport_EveryLineHasEveryFieldInItsOrder_TheFactsLastAndNullWhenAbsent()
    {
        await using var cli = await PrepareAsync();
        await using (var store = await Storage.Sqlite.SqliteKeywardenStore.OpenAsync(Path.Combine(cli.DataDirectory, "keywarden.db"), cancellationToken: Ct))
        {
            await store.AppendAsync(
                [
                    new Core.Audit.AuditEntry(
                        DateTimeOffset.UnixEpoch.AddDays(20000), Core.Audit.AuditKind.Request, "tok_1", "up_1", "key_1", "203.0.113.7", "messages/send",
                        "/messages/send", Core.Audit.AuditDecision.Deny, "policy.from-domain", null, 1.5, 10, 20,
                        Recipients: 3, FromDomain: "example.org", UserAgent: "mailchimp-transactional-node/1.0.59 \"été\""),
                ],
                Ct);
        }

        var records = Lines((await cli.RunAsync("audit", "export")).Out);
        var verify = await cli.RunAsync("audit", "verify");

        string[] fields =
        [
            "sequence", "time", "kind", "token_id", "upstream_id", "key_id", "client", "method", "path", "decision", "rule", "upstream_status",
            "latency_ms", "bytes_in", "bytes_out", "actor", "detail", "prev_hash", "hash", "recipients", "from_domain", "user_agent",
        ];
        Assert.All(records, r => Assert.Equal(fields, r.EnumerateObject().Select(p => p.Name)));
        var admin = records[0];
        var send = records[^1];
        Assert.Equal(JsonValueKind.Null, admin.GetProperty("recipients").ValueKind);
        Assert.Equal(JsonValueKind.Null, admin.GetProperty("from_domain").ValueKind);
        Assert.Equal(JsonValueKind.Null, admin.GetProperty("user_agent").ValueKind);
        Assert.Equal(3, send.GetProperty("recipients").GetInt32());
        Assert.Equal("example.org", send.GetProperty("from_domain").GetString());
        Assert.Equal("mailchimp-transactional-node/1.0.59 \"été\"", send.GetProperty("user_agent").GetString());
        Assert.Equal(0, verify.ExitCode);
    }

    [Fact]
    public async Task AuditCommands_NeedNoMasterKey()
    {
        await using var cli = await PrepareAsync();
        await IssueAsync(cli);
        File.Delete(Path.Combine(cli.DataDirectory, "master.key"));

        Assert.Equal(0, (await cli.RunAsync("audit", "verify")).ExitCode);
        Assert.Equal(2, Lines((await cli.RunAsync("audit", "tail", "--json")).Out).Count);
    }

    /// <summary>The canary: after a session that stores a key and issues a token, no audit row holds either, in any encoding.</summary>
    [Fact]
    public async Task AuditRows_NeverContainAKeyOrAToken()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        var (_, key) = await cli.AddSandboxUpstreamAsync("news");
        var issued = JsonDocument.Parse((await cli.RunAsync("token", "issue", "--upstream", "news", "--name", "canary", "--json")).Out).RootElement;
        var token = issued.GetProperty("token").GetString()!;
        Assert.Equal(0, (await cli.RunAsync("token", "revoke", issued.GetProperty("id").GetString()!)).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("master", "rotate")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("upstream", "remove", "news")).ExitCode);

        var rows = await AuditRowBytesAsync(cli);
        var printed = Encoding.UTF8.GetBytes(
            (await cli.RunAsync("audit", "tail", "--json")).All + (await cli.RunAsync("audit", "tail")).All + (await cli.RunAsync("audit", "export")).All);

        Assert.Equal(5, Lines((await cli.RunAsync("audit", "tail", "--json")).Out).Count);
        foreach (var secret in new[] { key, token })
        {
            foreach (var needle in Encodings(secret))
            {
                Assert.True(rows.AsSpan().IndexOf(needle) < 0, "an audit row contains a form of a secret");
                Assert.True(printed.AsSpan().IndexOf(needle) < 0, "audit output contains a form of a secret");
            }
        }
    }

    private static IEnumerable<byte[]> Encodings(string secret)
    {
        var utf8 = Encoding.UTF8.GetBytes(secret);
        yield return utf8;
        yield return Encoding.Unicode.GetBytes(secret);
        yield return Encoding.ASCII.GetBytes(Convert.ToBase64String(utf8));
        yield return Encoding.ASCII.GetBytes(Convert.ToHexStringLower(utf8));
        yield return Encoding.UTF8.GetBytes(secret.Length > 24 ? secret[3..^5] : secret[3..]);
    }

    /// <summary>Every value of every audit row, as the bytes SQLite holds (text as UTF-8, blobs raw).</summary>
    private static async Task<byte[]> AuditRowBytesAsync(CliFixture cli)
    {
        await using var connection = Open(cli);
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM audit ORDER BY sequence";
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var bytes = new List<byte>();
        while (await reader.ReadAsync(Ct))
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                bytes.AddRange(reader.GetValue(i) switch
                {
                    byte[] blob => blob,
                    string text => Encoding.UTF8.GetBytes(text),
                    DBNull => [],
                    var other => Encoding.UTF8.GetBytes(Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture)!),
                });
                bytes.Add(0);
            }
        }

        Assert.NotEmpty(bytes);
        return bytes.ToArray();
    }

    private static async Task ExecuteAsync(CliFixture cli, string sql)
    {
        await using var connection = Open(cli);
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Ct);
    }

    private static SqliteConnection Open(CliFixture cli) =>
        new(new SqliteConnectionStringBuilder { DataSource = Path.Combine(cli.DataDirectory, "keywarden.db"), Pooling = false, Mode = SqliteOpenMode.ReadWrite }.ToString());

    /// <summary>Appends the exported records again as a new chain, through the store (as whoever holds the file could).</summary>
    private static async Task RewriteAsync(CliFixture cli, List<JsonElement> records)
    {
        await using var store = await Storage.Sqlite.SqliteKeywardenStore.OpenAsync(Path.Combine(cli.DataDirectory, "keywarden.db"), cancellationToken: Ct);
        var entries = records.Select(r => Core.Audit.AuditEntry.ForAdmin(
            r.GetProperty("time").GetDateTimeOffset(), r.GetProperty("actor").GetString()!, r.GetProperty("method").GetString()!, r.GetProperty("path").GetString()!,
            r.GetProperty("detail").GetString() + " (rewritten)") with
        {
            TokenId = r.GetProperty("token_id").GetString(),
            UpstreamId = r.GetProperty("upstream_id").GetString(),
        }).ToList();
        await store.AppendAsync(entries, Ct);
    }

    private static List<JsonElement> Lines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();

    private static async Task<string> IssueAsync(CliFixture cli)
    {
        var run = await cli.RunAsync("token", "issue", "--upstream", "news", "--name", "app", "--json");
        Assert.True(run.ExitCode == 0, run.Error);
        return JsonDocument.Parse(run.Out).RootElement.GetProperty("id").GetString()!;
    }

    private static async Task<CliFixture> PrepareAsync()
    {
        var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        Assert.Equal(0, (await cli.PipeAsync(Key, "upstream", "add", "news", "--kind", "marketing", "--no-verify")).ExitCode);
        return cli;
    }
}
