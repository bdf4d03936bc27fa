using Keywarden.Testing;


namespace Keywarden.Cli.Tests;

/// <summary>A test class with a started <see cref="CliFixture"/>, a scratch directory and, on first use, a Git repository.</summary>
public abstract class CliTestBase : IAsyncLifetime
{
    private readonly TempDirectory _scratch = new("kw-cli-scratch-");
    private TestRepository? _repo;

    internal CliFixture Cli { get; private set; } = null!;

    internal string Scratch => _scratch.Path;

    internal TestRepository Repo => _repo ??= new TestRepository();

    public async ValueTask InitializeAsync() => Cli = await CliFixture.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await Cli.DisposeAsync();
        _repo?.Dispose();
        _scratch.Dispose();
        GC.SuppressFinalize(this);
    }

    internal static string MarketingKey() => new string(Random.Shared.GetItems<char>("0123456789abcdef", 32)) + "-us" + Random.Shared.Next(1, 22);
}
