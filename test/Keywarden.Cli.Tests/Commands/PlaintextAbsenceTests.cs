using System.Text;
using System.Text.Json;

namespace Keywarden.Cli.Tests.Commands;

/// <summary>
/// The promise of encryption at rest: after storing keys and issuing tokens, no byte sequence of any
/// key or token (plain, base64, hex, UTF-16) appears in any file of the data directory, WAL included.
/// </summary>
public sealed class PlaintextAbsenceTests
{
    [Fact]
    public async Task DataDirectory_NeverContainsAKeyOrTokenInAnyEncoding()
    {
        await using var cli = await CliFixture.StartAsync();
        cli.Environment["KEYWARDEN_MASTER_KEY_FILE"] = Path.Combine(Path.GetTempPath(), "kw-mk-" + Guid.NewGuid().ToString("N"));
        await cli.InitAsync();
        var (_, _, marketing) = await cli.CreateKeyAsync("marketing", "us19");
        var (_, _, transactional) = await cli.CreateKeyAsync("transactional");
        Assert.Equal(0, (await cli.PipeAsync(marketing, "upstream", "add", "news", "--kind", "marketing", "--base-url", cli.Sandbox.BaseAddress.ToString())).ExitCode);
        Assert.Equal(0, (await cli.PipeAsync(transactional, "upstream", "add", "mail", "--kind", "transactional", "--base-url", cli.Sandbox.BaseAddress.ToString())).ExitCode);
        var tokens = new List<string>();
        foreach (var upstream in new[] { "news", "mail" })
        {
            var issued = await cli.RunAsync("token", "issue", "--upstream", upstream, "--name", "app", "--json");
            tokens.Add(JsonDocument.Parse(issued.Out).RootElement.GetProperty("token").GetString()!);
        }

        Assert.Equal(0, (await cli.RunAsync("master", "rotate")).ExitCode);
        Assert.Equal(0, (await cli.RunAsync("upstream", "verify", "news")).ExitCode);

        var files = Directory.GetFiles(cli.DataDirectory, "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.EndsWith("keywarden.db", StringComparison.Ordinal));
        foreach (var secret in new[] { marketing, transactional }.Concat(tokens))
        {
            foreach (var needle in Encodings(secret))
            {
                foreach (var file in files)
                {
                    var bytes = await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken);
                    Assert.True(bytes.AsSpan().IndexOf(needle) < 0, $"{Path.GetFileName(file)} contains a form of a secret");
                }
            }
        }

        File.Delete(cli.Environment["KEYWARDEN_MASTER_KEY_FILE"]!);
    }

    private static IEnumerable<byte[]> Encodings(string secret)
    {
        var utf8 = Encoding.UTF8.GetBytes(secret);
        yield return utf8;
        yield return Encoding.Unicode.GetBytes(secret);
        yield return Encoding.ASCII.GetBytes(Convert.ToBase64String(utf8));
        yield return Encoding.ASCII.GetBytes(Convert.ToHexStringLower(utf8));
        yield return Encoding.ASCII.GetBytes(Convert.ToHexString(utf8));
        // The secret's body alone (without prefix or datacenter suffix) must not appear either.
        yield return Encoding.UTF8.GetBytes(secret.Length > 24 ? secret[3..^5] : secret[3..]);
    }
}
