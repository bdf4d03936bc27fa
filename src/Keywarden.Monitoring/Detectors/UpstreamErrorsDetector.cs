using Keywarden.Core.Monitoring;

namespace Keywarden.Monitoring.Detectors;

/// <summary>
/// A jump in upstream 401, 403 and 5xx answers for a token (<see cref="UpstreamErrorsOptions"/>), against its error share
/// over the history. Raised at most once per window while it lasts.
/// </summary>
internal sealed class UpstreamErrorsDetector(MonitorOptions options) : ITokenDetector
{
    private readonly UpstreamErrorsOptions _options = options.UpstreamErrors;
    private readonly int _minutes = (int)options.UpstreamErrors.Window.TotalMinutes;
    private readonly int _days = options.HistoryDays;

    public void Observe(in MonitorEvent e, in EventContext context, AlertSink sink)
    {
        if (e.UpstreamStatus is not { } status)
        {
            return;
        }

        var state = context.Token!.Errors ??= new UpstreamErrorsState(_minutes, _days);
        var minute = context.Minute;
        var day = context.Day;
        var auth = status is 401 or 403;
        var error = auth || status >= 500;
        state.Forwarded.Add(minute);
        state.ForwardedPerDay.Add(day, 1);
        state.AuthStreak = auth ? state.AuthStreak + 1 : 0;
        if (!error)
        {
            state.Streak = 0;
            state.StreakAuth = 0;
            return;
        }

        state.Streak++;
        state.StreakAuth += auth ? 1 : 0;
        state.Errors.Add(minute);
        state.ErrorsPerDay.Add(day, 1);
        if (auth)
        {
            state.AuthErrors.Add(minute);
        }

        var errors = state.Errors.Sum(minute);
        var streak = state.Streak >= _options.ConsecutiveErrors || state.AuthStreak >= _options.ConsecutiveAuthErrors;
        if (context.Learning || (errors < _options.MinErrors && !streak)
            || (state.RaisedAt != long.MinValue && context.Now - state.RaisedAt < _minutes * EventContext.MinuteMs))
        {
            return;
        }

        var forwarded = state.Forwarded.Sum(minute);
        var share = (double)errors / forwarded;
        var historyForwarded = state.ForwardedPerDay.SumBefore(day);
        var usual = historyForwarded == 0 ? 0 : (double)state.ErrorsPerDay.SumBefore(day) / historyForwarded;
        var threshold = Math.Max(_options.MinRate, _options.RateMultiplier * usual);
        if (!streak && share < threshold)
        {
            return;
        }

        state.RaisedAt = context.Now;
        if (!sink.Enabled)
        {
            return;
        }

        // Transactional answers a revoked key with 500 Invalid_Key, so a run of 5xx may be a revoked key too.
        var streakOnly = errors < _options.MinErrors;
        var (failed, authFailed) = streakOnly ? (state.Streak, state.StreakAuth) : (errors, state.AuthErrors.Sum(minute));
        var cause = authFailed * 2 >= failed
            ? "the key may have been revoked in Mailchimp, or the account suspended"
            : "Mailchimp is failing for this token (Transactional answers a revoked key with 500)";
        var observed = streakOnly
            ? $"the last {failed} forwarded requests all failed upstream ({authFailed} with 401/403, latest {status})"
            : $"{failed} of {forwarded} forwarded requests in {Words.Plural(_minutes, "minute")} failed upstream ({authFailed} with 401/403, {failed - authFailed} with 5xx, latest {status})";
        sink.Raise(
            DetectorNames.UpstreamErrors, AlertSeverity.Warning, e,
            $"{observed}; this token's usual error share is {Words.Percent(usual)}, the alert is at {Words.Percent(threshold)} in the window "
            + $"or {_options.ConsecutiveErrors} failures ({_options.ConsecutiveAuthErrors} refusals) in a row: {cause}",
            learning: false);
    }
}
