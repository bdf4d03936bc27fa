using Keywarden.Core.Audit;
using Keywarden.Core.Monitoring;

namespace Keywarden.Monitoring.Detectors;

/// <summary>
/// Transactional sends far above the token's usual (<see cref="SendingOptions"/>): a message with many more recipients
/// than its largest, a day with many more than its busiest (raised once per day each, the moment the running day crosses),
/// and sends the policy refused for their sender, recipients or quota (raised at most once per 10 minutes).
/// </summary>
internal sealed class SendingDetector(MonitorOptions options) : ITokenDetector
{
    private const long RefusalQuietMs = 10 * EventContext.MinuteMs;
    private readonly SendingOptions _options = options.Sending;
    private readonly int _days = options.HistoryDays;

    public void Observe(in MonitorEvent e, in EventContext context, AlertSink sink)
    {
        if (RuleKinds.IsSendRefusal(e.Rule))
        {
            Refused(e, context, sink);
            return;
        }

        if (e.Recipients is not { } recipients || e.Decision == AuditDecision.Deny)
        {
            return;
        }

        var state = context.Token!.Sending ??= new SendingState(_days);
        var day = context.Day;
        var largest = state.LargestMessage.MaxBefore(day);
        var busiest = state.RecipientsPerDay.MaxBefore(day);
        state.LargestMessage.Max(day, recipients);
        state.RecipientsPerDay.Add(day, recipients);
        if (context.Learning)
        {
            return;
        }

        var messageThreshold = Math.Max(_options.PerMessageFloor, (long)Math.Ceiling(_options.PerMessageMultiplier * largest));
        if (recipients >= messageThreshold && state.MessageRaisedDay != day)
        {
            state.MessageRaisedDay = day;
            if (sink.Enabled)
            {
                sink.Raise(
                    DetectorNames.Sending, AlertSeverity.Warning, e,
                    $"a message to {recipients} recipients (from {e.FromDomain ?? "an unknown domain"}, client {e.Client}); "
                    + $"this token's largest message in {_days} days had {largest}; the alert is at {messageThreshold}",
                    learning: false);
            }
        }

        var today = state.RecipientsPerDay.Today(day);
        var dailyThreshold = Math.Max(_options.DailyFloor, (long)Math.Ceiling(_options.DailyMultiplier * busiest));
        if (today >= dailyThreshold && state.DailyRaisedDay != day)
        {
            state.DailyRaisedDay = day;
            if (sink.Enabled)
            {
                sink.Raise(
                    DetectorNames.Sending, AlertSeverity.Warning, e,
                    $"{today} recipients so far on {Words.Date(context.Now)} (UTC); this token's busiest day in {_days} days had {busiest}; "
                    + $"the alert is at {dailyThreshold}",
                    learning: false);
            }
        }
    }

    private void Refused(in MonitorEvent e, in EventContext context, AlertSink sink)
    {
        var state = context.Token!.Sending ??= new SendingState(_days);
        if (state.RefusalRaisedAt != long.MinValue && context.Now - state.RefusalRaisedAt < RefusalQuietMs)
        {
            return;
        }

        state.RefusalRaisedAt = context.Now;
        if (!sink.Enabled)
        {
            return;
        }

        var what = e.Rule switch
        {
            "from-domain" => $"a send from {e.FromDomain ?? "a domain"} this token may not send from",
            "max-recipients" => $"a send to {(e.Recipients is { } n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "more")} recipients, above this token's limit",
            _ => "a send beyond this token's daily quota",
        };
        sink.Raise(
            DetectorNames.Sending, AlertSeverity.Warning, e,
            $"{what} was refused (rule {e.Rule}, client {e.Client}, {Words.Agent(e.UserAgent)}); an app sends as its policy says, so this is someone else or a changed app",
            context.Learning);
    }
}
