using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Keywarden.Gateway.Tests.Audit.Support;

/// <summary>Keeps what was logged, to check events and that no entry contents reach the log.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    public ConcurrentQueue<(EventId Id, LogLevel Level, string Message)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((eventId, logLevel, formatter(state, exception)));

    public IEnumerable<string> Messages(int eventId) => Entries.Where(e => e.Id.Id == eventId).Select(e => e.Message);
}
