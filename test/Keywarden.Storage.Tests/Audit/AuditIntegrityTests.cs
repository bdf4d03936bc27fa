using System.Security.Cryptography;
using Keywarden.Application;
using Keywarden.Core.Audit;
using Keywarden.Core.Keys;
using Keywarden.Core.Policy;
using Keywarden.Storage.Audit;
using Keywarden.Storage.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Keywarden.Storage.Tests.Audit;

/// <summary>
/// What the hash chain cannot show by itself: a log whose newest records were cut off, or which was emptied (and
/// perhaps restarted), is still an intact chain. <see cref="AuditIntegrity"/> holds it against its checkpoints and
/// against the vault's state. Each case is done to a real SQLite file with raw SQL, as someone with the file would.
/// </summary>
public sealed class AuditIntegrityTests : IAsyncLifetime
{
    private TempVault _temp = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _temp = await TempVault.CreateAsync();

    public ValueTask DisposeAsync() => _temp.DisposeAsync();

    [Fact]
    public async Task UntouchedLog_WithStateAndCheckpoints_IsIntact()
    {
        await SeedAsync();

        var report = await VerifyAsync();

        Assert.True(report.Intact, string.Join("; ", report.Problems));
        Assert.True(report.CheckpointsChecked >= 4); // one per admin action
    }

    [Fact]
    public async Task EveryRecordDeleted_WithTokensAndUpstreamsInTheVault_IsNotIntact_AndNamesWhatLacksItsRecord()
    {
        var (token, revoked) = await SeedAsync();

        await SqlAsync("DROP TRIGGER audit_no_delete; DELETE FROM audit;");
        var report = await VerifyAsync();

        Assert.False(report.Intact);
        Assert.True(report.Chain.Intact); // an empty chain is a valid chain: only the other checks see it
        Assert.Contains(report.Problems, p => p.StartsWith($"token {token} (issued ", StringComparison.Ordinal) && p.Contains("no record of its issue", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.StartsWith($"token {revoked} (revoked ", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.StartsWith("upstream 'news' (", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.Contains("but the log ends at record 0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EveryRecordAndCheckpointDeleted_StillShowsTheStateWithoutRecords()
    {
        var (token, _) = await SeedAsync();

        await SqlAsync("DROP TRIGGER audit_no_delete; DELETE FROM audit; DROP TRIGGER audit_checkpoints_no_delete; DELETE FROM audit_checkpoints;");
        var report = await VerifyAsync();

        Assert.False(report.Intact);
        Assert.Contains(report.Problems, p => p.StartsWith($"token {token} ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NewestRecordsDeleted_BelowTheLastCheckpoint_IsNotIntact()
    {
        await SeedAsync();
        await _temp.Temp.Store.AppendAsync(Requests(5), Ct);
        var head = (await _temp.Temp.Store.CheckpointAsync("test", Ct))!.Sequence;

        await SqlAsync($"DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE sequence > {head - 3};");
        var report = await VerifyAsync();

        Assert.False(report.Intact);
        Assert.True(report.Chain.Intact);
        Assert.Contains(report.Problems, p => p.Contains($"saw record {head}, but the log ends at record {head - 3}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LogEmptiedAndRestarted_BelowACheckpoint_IsNotIntact()
    {
        await SeedAsync();
        var checkpoint = (await _temp.Temp.Store.CheckpointAsync("test", Ct))!;

        await SqlAsync("DROP TRIGGER audit_no_delete; DELETE FROM audit;");
        await _temp.Temp.Store.AppendAsync(Requests((int)checkpoint.Sequence + 2), Ct); // a fresh chain from 1, past the checkpoint
        var report = await VerifyAsync();

        Assert.False(report.Intact);
        Assert.True(report.Chain.Intact);
        Assert.Contains(report.Problems, p => p.Contains($"record {checkpoint.Sequence} is not the one the checkpoint of", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CheckpointKeptOutside_CatchesALogRewrittenWithItsCheckpoints()
    {
        await SeedAsync();
        using var temp = new TempFile();
        var file = temp.Path;
        AuditCheckpointFile.Append(file, (await _temp.Temp.Store.CheckpointAsync("test", Ct))!);

        // Whoever has the file rewrites everything consistently: a new chain, new checkpoints, the vault's state kept.
        var records = new List<AuditRecord>();
        await foreach (var record in _temp.Temp.Store.ReadAllAsync(Ct))
        {
            records.Add(record);
        }

        await SqlAsync("DROP TRIGGER audit_no_delete; DELETE FROM audit; DROP TRIGGER audit_checkpoints_no_delete; DELETE FROM audit_checkpoints;");
        await _temp.Temp.Store.AppendAsync([.. records.Select(r => r.Entry with { Detail = r.Entry.Detail + " (edited)" })], Ct);
        var inside = await VerifyAsync();
        var outside = await AuditIntegrity.VerifyAsync(_temp.Temp.Store, AuditCheckpointFile.Read(file), Ct);

        Assert.True(inside.Intact, string.Join("; ", inside.Problems));
        Assert.False(outside.Intact);
        Assert.Contains(outside.Problems, p => p.Contains("(file)", StringComparison.Ordinal) && p.Contains("hash differs", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CheckpointFile_RoundTrips_AndRefusesALineThatIsNotACheckpoint()
    {
        using var temp = new TempFile();
        var file = temp.Path;
        var first = new AuditCheckpoint(7, RandomNumberGenerator.GetBytes(32), new DateTimeOffset(2026, 12, 3, 8, 0, 0, 123, TimeSpan.Zero), "cli");
        AuditCheckpointFile.Append(file, first);
        AuditCheckpointFile.Append(file, first with { Sequence = 9 });

        var read = AuditCheckpointFile.Read(file);

        Assert.Equal([7L, 9], read.Select(c => c.Sequence));
        Assert.Equal(first.Hash, read[0].Hash);
        Assert.Equal(first.Time, read[0].Time);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        await File.AppendAllTextAsync(file, "{\"sequence\":3}\n", Ct);
        var error = Assert.Throws<InvalidDataException>(() => AuditCheckpointFile.Read(file));
        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryThousandthRecord_IsCheckpointed()
    {
        await _temp.Temp.Store.AppendAsync(Requests(2100), Ct);

        var checkpoints = await _temp.Temp.Store.ListCheckpointsAsync(Ct);

        Assert.Equal([1000L, 2000], checkpoints.Select(c => c.Sequence));
        Assert.All(checkpoints, c => Assert.Equal("interval", c.Source));
    }

    /// <summary>An upstream, a live token and a revoked one, each through the vault (so each with its admin record).</summary>
    private async Task<(string Token, string Revoked)> SeedAsync()
    {
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) + "-us21";
        await _temp.Vault.Upstreams.AddAsync(new AddUpstreamRequest("news", UpstreamKind.Marketing, key, "news", null, false, AddUpstreamRequest.DefaultMaxKeyAge), Ct);
        var token = await _temp.Vault.Tokens.IssueAsync("news", "app", new TokenPolicy(), Ct);
        var revoked = await _temp.Vault.Tokens.IssueAsync("news", "old app", new TokenPolicy(), Ct);
        await _temp.Vault.Tokens.RevokeAsync(revoked.Record.Id, Ct);
        return (token.Record.Id, revoked.Record.Id);
    }

    private Task<AuditIntegrityReport> VerifyAsync() => AuditIntegrity.VerifyAsync(_temp.Temp.Store, [], Ct);

    private static AuditEntry[] Requests(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new AuditEntry(
            DateTimeOffset.UnixEpoch.AddDays(20_000).AddMilliseconds(i), AuditKind.Request, null, null, null, "127.0.0.1", "GET", $"/lists/{i}", AuditDecision.Allow, "allow", 200, 1, 0, 0))];

    private async Task SqlAsync(string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _temp.Temp.Store.DatabasePath, Pooling = false }.ToString());
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Ct);
    }

    /// <summary>A path in the temp directory, deleted on dispose.</summary>
    private sealed class TempFile : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"kw-checkpoints-{Guid.NewGuid():N}.jsonl");

        public void Dispose() => File.Delete(Path);
    }
}
