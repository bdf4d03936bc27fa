using Microsoft.Extensions.Logging;

namespace Keywarden.Rotation;

/// <summary>Rotation's log messages. Parameters are names and ages, never keys.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 601, Level = LogLevel.Warning,
        Message = "The key of upstream {Upstream} is overdue for rotation ({Age}): keywarden rotate start {Upstream} --reason scheduled")]
    public static partial void KeyOverdue(ILogger logger, string upstream, string age);

    [LoggerMessage(EventId = 602, Level = LogLevel.Information,
        Message = "The key of upstream {Upstream} is due for rotation soon ({Age}): keywarden rotate start {Upstream} --reason scheduled")]
    public static partial void KeyDueSoon(ILogger logger, string upstream, string age);
}
