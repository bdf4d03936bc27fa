using System.Text;

namespace Keywarden.Rotation.Tests.Sinks;

public sealed class EnvFileSinkTests : IDisposable
{
    private readonly SinkScratch _scratch = new();

    [Fact]
    public async Task Deliver_BareValue_ReplacesOnlyThatValue()
    {
        var old = SinkScratch.NewKey().Value;
        var key = SinkScratch.NewKey();
        var path = _scratch.File(".env", $"# mailchimp\nOTHER=1\nexport  MC_KEY = {old}   # rotated by keywarden\nMC_KEY_NAME=x\n\nLAST=2");

        await SinkScratch.DeliverAsync($"env:{path}#MC_KEY", key);

        Assert.Equal($"# mailchimp\nOTHER=1\nexport  MC_KEY = {key.Value}   # rotated by keywarden\nMC_KEY_NAME=x\n\nLAST=2", SinkScratch.Read(path));
        Assert.Empty(_scratch.Leftovers(".env"));
    }

    [Theory]
    [InlineData("\"", "\"")]
    [InlineData("'", "'")]
    public async Task Deliver_QuotedValue_KeepsTheQuotes(string open, string close)
    {
        var key = SinkScratch.NewKey();
        var path = _scratch.File(".env", $"MC_KEY={open}old value{close} # note\n");

        await SinkScratch.DeliverAsync($"env:{path}#MC_KEY", key);

        Assert.Equal($"MC_KEY={open}{key.Value}{close} # note\n", SinkScratch.Read(path));
    }

    [Fact]
    public async Task Deliver_EmptyValue_IsFilledIn()
    {
        var key = SinkScratch.NewKey();
        var path = _scratch.File(".env", "MC_KEY=\r\n");

        await SinkScratch.DeliverAsync($"env:{path}#MC_KEY", key);

        Assert.Equal($"MC_KEY={key.Value}\r\n", SinkScratch.Read(path));
    }

    [Fact]
    public async Task Deliver_EmptyValueBeforeAComment_KeepsTheCommentApart()
    {
        var key = SinkScratch.NewKey();
        var path = _scratch.File(".env", "MC_KEY =   # fill in\n");

        await SinkScratch.DeliverAsync($"env:{path}#MC_KEY", key);

        Assert.Equal($"MC_KEY ={key.Value}   # fill in\n", SinkScratch.Read(path));
    }

    [Fact]
    public async Task Deliver_CrlfAndBom_AreKeptByteForByte()
    {
        var key = SinkScratch.NewKey();
        byte[] bom = [0xEF, 0xBB, 0xBF];
        var path = _scratch.Bytes(".env", [.. bom, .. Encoding.UTF8.GetBytes("A=é\r\nMC_KEY=old\r\nB=2\r\n")]);

        await SinkScratch.DeliverAsync($"env:{path}#MC_KEY", key);

        Assert.Equal([.. bom, .. Encoding.UTF8.GetBytes($"A=é\r\nMC_KEY={key.Value}\r\nB=2\r\n")], File.ReadAllBytes(path));
    }

    [Fact]
    public async Task Deliver_MissingVariable_FailsNamingFileAndVariable()
    {
        var path = _scratch.File(".env", "MC_KEY_OLD=x\n# MC_KEY=commented\n");

        var message = await SinkScratch.RefusedAsync($"env:{path}#MC_KEY", path, SinkScratch.NewKey());

        Assert.Contains(path, message, StringComparison.Ordinal);
        Assert.Contains("no variable MC_KEY", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_VariableAssignedTwice_IsRefused()
    {
        var path = _scratch.File(".env", "MC_KEY=a\nexport MC_KEY=b\n");

        var message = await SinkScratch.RefusedAsync($"env:{path}#MC_KEY", path, SinkScratch.NewKey());

        Assert.Contains("assigns MC_KEY 2 times", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_UnterminatedQuote_IsRefused()
    {
        var path = _scratch.File(".env", "MC_KEY=\"first line\nsecond\"\n");

        var message = await SinkScratch.RefusedAsync($"env:{path}#MC_KEY", path, SinkScratch.NewKey());

        Assert.Contains("multi-line or unterminated", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_FileNotUtf8_IsRefused()
    {
        var path = _scratch.Bytes(".env", [.. Encoding.ASCII.GetBytes("MC_KEY=x\nNAME="), 0xE9, 0x0A]);

        var message = await SinkScratch.RefusedAsync($"env:{path}#MC_KEY", path, SinkScratch.NewKey());

        Assert.Contains("not UTF-8", message, StringComparison.Ordinal);
    }

    public void Dispose() => _scratch.Dispose();
}
