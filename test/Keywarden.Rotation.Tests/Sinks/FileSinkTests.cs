using System.Diagnostics;
using System.Globalization;
using Keywarden.Rotation.Sinks;

namespace Keywarden.Rotation.Tests.Sinks;

/// <summary>What every file sink guarantees, shown through the dotenv sink: atomic replace, mode, owner, symlinks, concurrent edits.</summary>
public sealed class FileSinkTests : IDisposable
{
    private const UnixFileMode OwnerReadWriteGroupRead = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;

    private readonly SinkScratch _scratch = new();

    [Fact]
    public async Task Deliver_KeepsTheFileModeAndOwner()
    {
        var path = _scratch.File(".env", "MC_KEY=old\n");
        File.SetUnixFileMode(path, OwnerReadWriteGroupRead);
        var owner = FileOwnership.Get(path)!.Value;
        if (Environment.IsPrivilegedProcess)
        {
            // As root the sink must give the new file the old owner, not root.
            FileOwnership.Set(path, 4321, 8765);
            owner = (4321, 8765);
        }

        await SinkScratch.DeliverAsync($"env:{path}#MC_KEY", SinkScratch.NewKey());

        Assert.Equal(OwnerReadWriteGroupRead, File.GetUnixFileMode(path));
        Assert.Equal(owner, FileOwnership.Get(path));
        Assert.Equal(owner, await StatOwnerAsync(path));
    }

    [Fact]
    public async Task Deliver_ThroughSymlink_ReplacesTheTargetAndKeepsTheLink()
    {
        var key = SinkScratch.NewKey();
        var real = _scratch.File("real.env", "MC_KEY=old\n");
        var link = Path.Combine(_scratch.Directory, "app.env");
        File.CreateSymbolicLink(link, "real.env");

        await SinkScratch.DeliverAsync($"env:{link}#MC_KEY", key);

        Assert.Equal("real.env", new FileInfo(link).LinkTarget);
        Assert.Equal($"MC_KEY={key.Value}\n", SinkScratch.Read(real));
    }

    [Fact]
    public async Task Deliver_DanglingSymlink_IsRefused()
    {
        var link = Path.Combine(_scratch.Directory, "app.env");
        File.CreateSymbolicLink(link, "gone.env");

        var error = await Assert.ThrowsAsync<SinkException>(() => SinkScratch.DeliverAsync($"env:{link}#MC_KEY", SinkScratch.NewKey()));

        Assert.Contains("which does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_MissingFile_IsRefused()
    {
        var path = Path.Combine(_scratch.Directory, "none.env");

        var error = await Assert.ThrowsAsync<SinkException>(() => SinkScratch.DeliverAsync($"env:{path}#MC_KEY", SinkScratch.NewKey()));

        Assert.Equal($"{path} does not exist", error.Message);
    }

    [Fact]
    public async Task Deliver_ReadOnlyDirectory_LeavesTheFileIntactAndNoTemporaryFile()
    {
        var path = _scratch.File(".env", "MC_KEY=old\n");
        using var readOnly = await ReadOnlyDirectory.MakeAsync(_scratch.Directory);

        var message = await SinkScratch.RefusedAsync($"env:{path}#MC_KEY", path, SinkScratch.NewKey());

        Assert.StartsWith($"cannot write {path}", message, StringComparison.Ordinal);
        Assert.EndsWith("(the file is unchanged)", message, StringComparison.Ordinal);
        Assert.Empty(_scratch.Leftovers(".env"));
    }

    [Fact]
    public async Task Deliver_FileChangedMeanwhile_FailsAndKeepsTheOtherChange()
    {
        var path = _scratch.File(".env", "MC_KEY=old\n");
        var sink = (FileSink)new KeySinkFactory().Create($"env:{path}#MC_KEY");
        sink.AfterRead = file => File.AppendAllText(file, "ADDED=by someone else\n");

        var error = await Assert.ThrowsAsync<SinkException>(() => sink.DeliverAsync(SinkScratch.NewKey(), TestContext.Current.CancellationToken));

        Assert.Contains("changed while the new key was being written", error.Message, StringComparison.Ordinal);
        Assert.Equal("MC_KEY=old\nADDED=by someone else\n", SinkScratch.Read(path));
        Assert.Empty(_scratch.Leftovers(".env"));
    }

    [Fact]
    public async Task Deliver_SameLengthChangeWithRestoredTime_IsStillDetected()
    {
        var path = _scratch.File(".env", "MC_KEY=old\n");
        var sink = (FileSink)new KeySinkFactory().Create($"env:{path}#MC_KEY");
        sink.AfterRead = file =>
        {
            var time = File.GetLastWriteTimeUtc(file);
            File.WriteAllText(file, "MC_KEY=new\n");
            File.SetLastWriteTimeUtc(file, time);
        };

        var error = await Assert.ThrowsAsync<SinkException>(() => sink.DeliverAsync(SinkScratch.NewKey(), TestContext.Current.CancellationToken));

        Assert.Contains("changed while", error.Message, StringComparison.Ordinal);
        Assert.Equal("MC_KEY=new\n", SinkScratch.Read(path));
    }

    public void Dispose() => _scratch.Dispose();

    // An independent reading of the owner, so the test does not only trust FileOwnership.
    private static async Task<(uint, uint)> StatOwnerAsync(string path)
    {
        using var stat = Process.Start(new ProcessStartInfo("stat", ["-c", "%u %g", path]) { RedirectStandardOutput = true })!;
        var parts = (await stat.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken)).Split(' ');
        await stat.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (uint.Parse(parts[0], CultureInfo.InvariantCulture), uint.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// A directory nobody may create files in. Permissions do not stop root, so as root the directory
    /// is made immutable (chattr +i) instead.
    /// </summary>
    private sealed class ReadOnlyDirectory : IDisposable
    {
        private readonly string _path;
        private readonly UnixFileMode _mode;

        private ReadOnlyDirectory(string path)
        {
            _path = path;
            _mode = File.GetUnixFileMode(path);
        }

        public static async Task<ReadOnlyDirectory> MakeAsync(string path)
        {
            var directory = new ReadOnlyDirectory(path);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            if (Environment.IsPrivilegedProcess)
            {
                await ChattrAsync("+i", path);
            }

            return directory;
        }

        public void Dispose()
        {
            if (Environment.IsPrivilegedProcess)
            {
                ChattrAsync("-i", _path).GetAwaiter().GetResult();
            }

            File.SetUnixFileMode(_path, _mode);
        }

        private static async Task ChattrAsync(string flag, string path)
        {
            using var chattr = Process.Start(new ProcessStartInfo("chattr", [flag, path]) { RedirectStandardError = true })!;
            var error = await chattr.StandardError.ReadToEndAsync();
            await chattr.WaitForExitAsync();
            Assert.True(chattr.ExitCode == 0, $"chattr {flag} failed (needed to make a directory read-only for root): {error}");
        }
    }
}
