using System.Diagnostics;
using Keywarden.Rotation.Sinks;

namespace Keywarden.Rotation.Tests.Sinks;

public sealed class CommandSinkTests : IDisposable
{
    private readonly SinkScratch _scratch = new();

    [Fact]
    public async Task Deliver_ProgramReadsTheKeyOnStdin_AndNotFromArgvOrEnvironment()
    {
        var key = SinkScratch.NewKey();
        var received = Path.Combine(_scratch.Directory, "received");
        var seen = Path.Combine(_scratch.Directory, "seen");

        await SinkScratch.DeliverAsync(
            $"exec:/bin/sh -c 'cat > \"$0\"; {{ env; cat /proc/$$/cmdline; }} > \"$1\"' {received} {seen}", key);

        Assert.Equal(key.Value + "\n", File.ReadAllText(received));
        Assert.DoesNotContain(key.Value, File.ReadAllText(seen), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_ProgramIgnoringStdin_StillSucceedsOnExitZero()
    {
        await SinkScratch.DeliverAsync("exec:/bin/true", SinkScratch.NewKey());
    }

    [Fact]
    public async Task Deliver_NonZeroExit_ReportsTheCodeAndTheLastStderrLinesWithTheKeyRedacted()
    {
        var key = SinkScratch.NewKey();

        var error = await Assert.ThrowsAsync<SinkException>(() => SinkScratch.DeliverAsync(
            "exec:/bin/sh -c 'read k; for i in 1 2 3 4 5 6; do echo \"line $i\" >&2; done; echo \"rejected $k\" >&2; exit 3'", key));

        Assert.StartsWith("exec:/bin/sh -c ", error.Message, StringComparison.Ordinal);
        Assert.Contains("failed with exit code 3; stderr: line 3 | line 4 | line 5 | line 6 | rejected [redacted]", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key.Value, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_ProgramOutlivingTheTimeout_IsKilledWithItsChildren()
    {
        var pidFile = Path.Combine(_scratch.Directory, "child.pid");
        var sink = new KeySinkFactory(TimeSpan.FromMilliseconds(500))
            .Create($"exec:/bin/sh -c 'sleep 60 & echo $! > \"$0\"; echo waiting >&2; wait' {pidFile}");
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<SinkException>(() => sink.DeliverAsync(SinkScratch.NewKey(), TestContext.Current.CancellationToken));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.Contains("did not finish within 0.5 s and was killed; stderr: waiting", error.Message, StringComparison.Ordinal);
        var child = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(IsRunning(child), "the sink's child process survived the kill");
    }

    [Fact]
    public async Task Deliver_MissingProgram_SaysItCannotStart()
    {
        var program = Path.Combine(_scratch.Directory, "no-such-program");

        var error = await Assert.ThrowsAsync<SinkException>(() => SinkScratch.DeliverAsync($"exec:{program} --flag", SinkScratch.NewKey()));

        Assert.StartsWith($"cannot start {program}:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_CancelledByTheCaller_KillsTheProgramAndThrowsCancellation()
    {
        var sink = new KeySinkFactory().Create("exec:/bin/sleep 60");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sink.DeliverAsync(SinkScratch.NewKey(), cancel.Token));
    }

    public void Dispose() => _scratch.Dispose();

    // A killed process may linger as a zombie until its (re)parent reaps it: that is not running.
    private static bool IsRunning(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        try
        {
            var fields = File.ReadAllText(stat);
            return fields[(fields.LastIndexOf(')') + 2)..][0] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }
}
