using Microsoft.Data.Sqlite;

namespace Keywarden.Cli.Tests.Commands;

public sealed class MasterKeyTests
{
    [Fact]
    public async Task MasterRotate_WithKeyFile_ReplacesTheFileAndKeysStillOpen()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        await cli.AddSandboxUpstreamAsync("news");
        var keyFile = Path.Combine(cli.DataDirectory, "master.key");
        var oldKey = (await File.ReadAllTextAsync(keyFile, TestContext.Current.CancellationToken)).Trim();

        var rotate = await cli.RunAsync("master", "rotate");
        var verify = await cli.RunAsync("upstream", "verify", "news");
        cli.Environment["KEYWARDEN_MASTER_KEY"] = oldKey;
        var withOldKey = await cli.RunAsync("upstream", "list");

        Assert.Equal(0, rotate.ExitCode);
        Assert.Contains("Re-wrapped 1 secret", rotate.Out, StringComparison.Ordinal);
        Assert.NotEqual(oldKey, (await File.ReadAllTextAsync(keyFile, TestContext.Current.CancellationToken)).Trim());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        Assert.False(File.Exists(keyFile + ".next"));
        Assert.Equal(0, verify.ExitCode);
        Assert.Equal(2, withOldKey.ExitCode);
        Assert.Contains("master key", withOldKey.Error, StringComparison.Ordinal);

        // The old key is kept beside it, owner-only, and the output says why and for how long.
        var previous = Assert.Single(Directory.GetFiles(cli.DataDirectory, "master.key.*.previous"));
        Assert.Equal(oldKey, (await File.ReadAllTextAsync(previous, TestContext.Current.CancellationToken)).Trim());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(previous));
        Assert.Contains($"The previous key is kept in {previous} (mode 0600): backups of the data directory made before now are sealed under it", rotate.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingMasterKeyFile_SaysWhatCanWork_AndNotToRunInit()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        File.Delete(Path.Combine(cli.DataDirectory, "master.key"));

        var run = await cli.RunAsync("upstream", "list");
        var init = await cli.RunAsync("init");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("does not exist. Restore it from your backup of the master key", run.Error, StringComparison.Ordinal);
        Assert.Contains("KEYWARDEN_MASTER_KEY_FILE", run.Error, StringComparison.Ordinal);
        Assert.Contains("'keywarden init' will not replace the key of an existing vault", run.Error, StringComparison.Ordinal);
        Assert.Equal(2, init.ExitCode); // and indeed it will not
    }

    [Fact]
    public async Task InitWithAMasterKeyFileElsewhere_IsRemembered_ForLaterCommands()
    {
        await using var cli = await CliFixture.StartAsync();
        var elsewhere = Path.Combine(Directory.CreateTempSubdirectory("kw-key-").FullName, "keywarden-master.key");
        try
        {
            var init = await cli.RunAsync("init", "--master-key-file", elsewhere);
            var later = await cli.PipeAsync("0123456789abcdef0123456789abcdef-us3", "upstream", "add", "news", "--kind", "marketing", "--no-verify");
            var list = await cli.RunAsync("upstream", "list");

            Assert.Equal(0, init.ExitCode);
            Assert.Contains("later commands use this key file", init.Out, StringComparison.Ordinal);
            Assert.DoesNotContain("sits beside the data", init.Error, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(cli.DataDirectory, "master.key")));
            Assert.True(later.ExitCode == 0, later.Error);
            Assert.Contains("news", list.Out, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(elsewhere)!, recursive: true);
        }
    }

    [Fact]
    public async Task MasterRotate_WithEnvironmentKey_TakesTheNewKeyFromStdin()
    {
        await using var cli = await CliFixture.StartAsync();
        var first = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var second = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        cli.Environment["KEYWARDEN_MASTER_KEY"] = first;
        await cli.InitAsync();
        await cli.PipeAsync("0123456789abcdef0123456789abcdef-us3", "upstream", "add", "news", "--kind", "marketing", "--no-verify");

        var rotate = await cli.PipeAsync(second + "\n", "master", "rotate");
        var stale = await cli.RunAsync("upstream", "list");
        cli.Environment["KEYWARDEN_MASTER_KEY"] = second;
        var fresh = await cli.RunAsync("upstream", "list");

        Assert.False(File.Exists(Path.Combine(cli.DataDirectory, "master.key")));
        Assert.Equal(0, rotate.ExitCode);
        Assert.Equal(2, stale.ExitCode);
        Assert.Equal(0, fresh.ExitCode);
        Assert.Contains("news", fresh.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongMasterKey_IsReportedClearly()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        cli.Environment["KEYWARDEN_MASTER_KEY"] = Convert.ToBase64String(new byte[32]);

        var run = await cli.RunAsync("upstream", "list");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("wrong KEYWARDEN_MASTER_KEY or key file", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyFileReadableByOthers_IsRefused()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        var keyFile = Path.Combine(cli.DataDirectory, "master.key");
        File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var run = await cli.RunAsync("upstream", "list");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("chmod 600", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TamperedCiphertext_FailsWithAClearErrorNamingTheRecord()
    {
        await using var cli = await CliFixture.StartAsync();
        await cli.InitAsync();
        await cli.AddSandboxUpstreamAsync("news");
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(cli.DataDirectory, "keywarden.db")};Pooling=False"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            using var select = connection.CreateCommand();
            select.CommandText = "SELECT id, ciphertext FROM upstream_keys";
            string id;
            byte[] ciphertext;
            await using (var reader = await select.ExecuteReaderAsync(TestContext.Current.CancellationToken))
            {
                Assert.True(await reader.ReadAsync(TestContext.Current.CancellationToken));
                id = reader.GetString(0);
                ciphertext = (byte[])reader[1];
            }

            ciphertext[^1] ^= 0x01; // one bit of the secret's ciphertext
            using var update = connection.CreateCommand();
            update.CommandText = "UPDATE upstream_keys SET ciphertext = $c WHERE id = $id";
            update.Parameters.AddWithValue("$c", ciphertext);
            update.Parameters.AddWithValue("$id", id);
            Assert.Equal(1, await update.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
        }

        var run = await cli.RunAsync("upstream", "verify", "news");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("failed authentication", run.Error, StringComparison.Ordinal);
        Assert.Contains("key_", run.Error, StringComparison.Ordinal);
    }
}
