using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Keywarden.Gateway.Tests;

/// <summary>
/// Keeps every log line written through it, at every level, with its structured values and exception text: what a
/// log shipper would see.
/// </summary>
internal sealed class InMemoryLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    /// <summary>Everything logged, one entry per line, as text.</summary>
    public string Text => string.Join('\n', _lines);

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            lines.Enqueue($"{category} scope: {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = new StringBuilder().Append(logLevel).Append(' ').Append(category).Append(" [").Append(eventId.Id).Append("] ")
                .Append(formatter(state, exception));
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (name, value) in values)
                {
                    line.Append(" | ").Append(name).Append('=').Append(value);
                }
            }

            if (exception is not null)
            {
                line.Append(" | ").Append(exception);
            }

            lines.Enqueue(line.ToString());
        }
    }
}
