using Keywarden.Core.Monitoring;

namespace Keywarden.Monitoring.Detectors;

/// <summary>
/// Requests per token per hour far above the token's usual for that hour (<see cref="VolumeOptions"/>). The thresholds
/// are worked out once when an hour starts; each request then costs an increment and a comparison, and the alert is
/// raised the moment the running hour's count reaches the threshold (once, and once more if it reaches the critical one).
/// </summary>
internal sealed class VolumeDetector(MonitorOptions options) : ITokenDetector
{
    private const int HoursPerWeek = 168;
    private readonly VolumeOptions _options = options.Volume;
    private readonly int _weeks = options.HistoryWeeks;
    private readonly long _learningMs = (long)options.LearningPeriod.TotalMilliseconds;

    public void Observe(in MonitorEvent e, in EventContext context, AlertSink sink)
    {
        var token = context.Token!;
        var state = token.Volume ??= new VolumeState(_weeks);
        var hour = context.Hour;
        if (hour != state.Hours.Current)
        {
            state.Hours.Advance(hour);
            StartHour(state, hour, token.FirstSeen / EventContext.HourMs, context.Learning);
        }

        var count = state.Hours.Increment();
        if (count < state.Threshold || (state.Raised && (state.RaisedCritical || count < state.CriticalThreshold)))
        {
            return;
        }

        var critical = count >= state.CriticalThreshold;
        state.Raised = true;
        state.RaisedCritical = critical;
        if (sink.Enabled)
        {
            sink.Raise(DetectorNames.Volume, critical ? AlertSeverity.Critical : AlertSeverity.Warning, e, Why(state, count, hour, token), context.Learning);
        }
    }

    private void StartHour(VolumeState state, long hour, long firstHour, bool learning)
    {
        state.Raised = false;
        state.RaisedCritical = false;
        if (learning)
        {
            state.Ceiling = true;
            state.Threshold = _options.AbsoluteCeiling;
            state.CriticalThreshold = Critical(_options.AbsoluteCeiling);
            return;
        }

        Span<int> sameHour = stackalloc int[8];
        var weeksKnown = 0;
        var peak = 0;
        var hours = state.Hours;
        for (var week = 1; week <= _weeks; week++)
        {
            var center = hour - (week * HoursPerWeek);
            if (center < firstHour)
            {
                break;
            }

            sameHour[weeksKnown++] = hours[center];
            for (var offset = -1; offset <= 1; offset++)
            {
                var h = center + offset;
                if (h >= firstHour && hours.Holds(h))
                {
                    peak = Math.Max(peak, hours[h]);
                }
            }
        }

        // The same hour of the day over the last 6 days: a daily job moved to a new time is learned within a day.
        for (var day = 1; day < 7; day++)
        {
            for (var offset = -1; offset <= 1; offset++)
            {
                var h = hour - (day * 24) + offset;
                if (h >= firstHour && hours.Holds(h))
                {
                    peak = Math.Max(peak, hours[h]);
                }
            }
        }

        var known = sameHour[..weeksKnown];
        known.Sort();
        state.Usual = weeksKnown == 0 ? 0 : known[weeksKnown / 2];
        state.Peak = peak;
        state.WeeksKnown = weeksKnown;
        state.Ceiling = false;
        state.Threshold = (int)Math.Min(int.MaxValue, Math.Max(_options.MinimumCount, Math.Ceiling(_options.Multiplier * peak)));
        state.CriticalThreshold = Critical(state.Threshold);
    }

    private int Critical(int threshold) => (int)Math.Min(int.MaxValue, Math.Ceiling(threshold * _options.CriticalMultiplier));

    private string Why(VolumeState state, int count, long hour, TokenState token)
    {
        var observed = $"{count} requests in the hour {Words.HourOf(hour)}";
        if (state.Ceiling)
        {
            return $"{observed}; the token is new (learning until {Words.Date(token.FirstSeen + _learningMs)}), "
                + $"so only the absolute ceiling of {_options.AbsoluteCeiling} an hour applies";
        }

        var usual = state.WeeksKnown > 0
            ? $"this token's usual for that hour of the week is {state.Usual} (median of {Words.Plural(state.WeeksKnown, "week")}), at most {state.Peak} in comparable hours"
            : $"this token made at most {state.Peak} in comparable hours";
        return $"{observed}; {usual}; the alert is at {state.Threshold}"
            + (state.Threshold == _options.MinimumCount ? " (the minimum)" : $" ({_options.Multiplier:0.#}× the most)");
    }
}
