using Keywarden.Scanner.Tests.Git;

namespace Keywarden.Cli.Tests;

/// <summary>A test class with a started <see cref="CliFixture"/>, a scratch directory and, on first use, a Git repository.</summary>
public abstract class CliTestBase : IAsyncLifetime
{
    private TestRepository? _repo;

    internal CliFixture Cli { get; private set; } = null!;

    internal string Scratch { get; } = Directory.CreateTempSubdirectory("kw-cli-scratch-").FullName;

    internal TestRepository Repo => _repo ??= new TestRepository();

    public async ValueTask InitializeAsync() => Cli = await CliFixture.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await Cli.DisposeAsync();
        _repo?.Dispose();
        Directory.Delete(Scratch, recursive: true);
        GC.SuppressFinalize(this);
    }

    internal static string MarketingKey() => new string(Random.Shared.GetItems<char>("0123456789abcdef", 32)) + "-us" + Random.Shared.Next(1, 22);
}
