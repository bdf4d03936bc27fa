using Keywarden.Rotation.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Keywarden.Rotation.Tests;

public sealed class KeyAgeReportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task LogDueKeys_ReportsDueSoonAndOverdueByName_AndNeverTheKey()
    {
        await using var h = await RotationHarness.StartAsync();
        var logger = new ListLogger();
        var now = TimeProvider.System.GetUtcNow();

        var fresh = await RotationService.LogDueKeysAsync(h.Vault.Store, now, logger, Ct);
        var soon = await RotationService.LogDueKeysAsync(h.Vault.Store, now.AddDays(80), logger, Ct);
        var late = await RotationService.LogDueKeysAsync(h.Vault.Store, now.AddDays(95), logger, Ct);

        Assert.Equal((0, 1, 1), (fresh, soon, late));
        Assert.Equal([LogLevel.Information, LogLevel.Warning], logger.Entries.Select(e => e.Level));
        Assert.Contains("news is due for rotation soon (80 days old, max 90 days: due in 10 days)", logger.Entries[0].Message, StringComparison.Ordinal);
        Assert.Contains("overdue by 5 days", logger.Entries[1].Message, StringComparison.Ordinal);
        Assert.All(logger.Entries, e => Assert.DoesNotContain(h.OldKey.Key[4..], e.Message, StringComparison.Ordinal));
    }

    private sealed class ListLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}
