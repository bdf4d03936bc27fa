using Keywarden.Rotation.Sinks;

namespace Keywarden.Rotation.Tests.Sinks;

/// <summary>The new key, and the old one in the file, never reach a sink's description or any exception it throws.</summary>
public sealed class SinkCanaryTests : IDisposable
{
    private readonly SinkScratch _scratch = new();

    [Fact]
    public async Task EveryFailure_KeepsBothKeysOutOfMessagesAndDescriptions()
    {
        var key = SinkScratch.NewKey();
        var old = SinkScratch.NewKey().Value;
        var env = _scratch.File(".env", $"MC_KEY=\"{old}\nOTHER={old}\n");
        var json = _scratch.File("c.json", $"{{\"k\": {old}}}");
        var yaml = _scratch.File("c.yaml", $"a:\n  b: {old}\n    {old}\n");
        var missing = _scratch.File("m.json", $"{{\"other\": \"{old}\"}}");
        string[] specs =
        [
            $"env:{env}#MC_KEY",
            $"env:{env}#ABSENT",
            $"json:{json}#k",
            $"json:{missing}#k",
            $"yaml:{yaml}#a.b",
            $"yaml:{yaml}#a.c",
            $"exec:/bin/sh -c 'k=$(cat); echo \"$k\"; echo \"key=$k {old}\" >&2; exit 9'",
        ];

        foreach (var spec in specs)
        {
            var sink = new KeySinkFactory().Create(spec);
            var error = await Assert.ThrowsAsync<SinkException>(() => sink.DeliverAsync(key, TestContext.Current.CancellationToken));
            foreach (var text in new[] { error.ToString(), sink.Description })
            {
                Assert.DoesNotContain(key.Value, text, StringComparison.Ordinal);
                Assert.DoesNotContain(key.Value[..12], text, StringComparison.Ordinal);
                // The exec spec itself names the old key (a person wrote it there); nothing else may.
                Assert.DoesNotContain(old, text.Replace(sink.Description, "", StringComparison.Ordinal), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Success_DescriptionIsTheSpecAndHoldsNoKey()
    {
        var key = SinkScratch.NewKey();
        var env = _scratch.File(".env", "MC_KEY=x\n");
        var sink = new KeySinkFactory().Create($"env:{env}#MC_KEY");

        await sink.DeliverAsync(key, TestContext.Current.CancellationToken);

        Assert.Equal($"env:{env}#MC_KEY", sink.Description);
        Assert.DoesNotContain(key.Value, sink.Description, StringComparison.Ordinal);
    }

    public void Dispose() => _scratch.Dispose();
}
