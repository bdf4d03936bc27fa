using Keywarden.Core.Audit;
using Keywarden.Core.Monitoring;

namespace Keywarden.Monitoring.Detectors;

/// <summary>
/// Many refusals in a short window (<see cref="DenialBurstOptions"/>): per token, and per client address for requests
/// without a valid token. Raises a warning when the window's count reaches the threshold, again as critical when it
/// reaches the critical one, and not again for the same level until a whole window has passed.
/// </summary>
internal sealed class DenialBurstDetector(MonitorOptions options) : ITokenDetector
{
    private readonly DenialBurstOptions _options = options.DenialBurst;
    private readonly int _minutes = (int)options.DenialBurst.Window.TotalMinutes;
    private readonly Dictionary<string, DenialBurstState> _addresses = new(StringComparer.Ordinal);
    private long _sweptAt = long.MinValue;

    /// <summary>Client addresses tracked (at most <see cref="DenialBurstOptions.MaxAddresses"/>).</summary>
    internal int AddressCount => _addresses.Count;

    public void Observe(in MonitorEvent e, in EventContext context, AlertSink sink)
    {
        if (e.Decision != AuditDecision.Deny || RuleKinds.IsOperational(e.Rule))
        {
            return;
        }

        var state = context.Token!.Denials ??= new DenialBurstState(_minutes);
        Count(state, e, context, _options.TokenThreshold, sink);
    }

    /// <summary>A request without a token the gateway knows: counted against its client address when it presented a credential.</summary>
    public void ObserveAddress(in MonitorEvent e, in EventContext context, AlertSink sink)
    {
        if (e.Decision != AuditDecision.Deny || e.Client is null || !RuleKinds.IsCredentialRefusal(e.Rule))
        {
            return;
        }

        if (!_addresses.TryGetValue(e.Client, out var state))
        {
            if (_addresses.Count >= _options.MaxAddresses && !Sweep(context.Now))
            {
                return; // full of addresses active within the window: memory stays bounded
            }

            state = new DenialBurstState(_minutes);
            _addresses.Add(e.Client, state);
        }

        Count(state, e, context, _options.AddressThreshold, sink);
    }

    private void Count(DenialBurstState state, in MonitorEvent e, in EventContext context, int threshold, AlertSink sink)
    {
        var minute = context.Minute;
        state.LastSeen = context.Now;
        state.Refusals.Add(minute);
        var count = state.Refusals.Sum(minute);
        if (count < threshold)
        {
            return;
        }

        var severity = count >= _options.CriticalThreshold ? AlertSeverity.Critical : AlertSeverity.Warning;
        var quiet = state.RaisedAt == long.MinValue || context.Now - state.RaisedAt >= _minutes * EventContext.MinuteMs;
        if (!quiet && severity <= state.RaisedSeverity)
        {
            return;
        }

        state.RaisedAt = context.Now;
        state.RaisedSeverity = quiet ? severity : (AlertSeverity)Math.Max((int)severity, (int)state.RaisedSeverity);
        if (!sink.Enabled)
        {
            return;
        }

        var who = e.TokenId is not null ? $"of token {e.TokenId}" : $"without a valid token from {e.Client}";
        var why = $"{count} requests {who} refused in {Words.Plural(_minutes, "minute")} (latest rule {e.Rule}, {Words.Agent(e.UserAgent)}); "
            + $"the alert is at {threshold}{(severity == AlertSeverity.Critical ? $", critical at {_options.CriticalThreshold}" : "")}: "
            + (e.TokenId is not null ? "someone is trying what this token may not do, or a dead token is still deployed" : "token guessing, or a dead token still deployed");
        sink.Raise(DetectorNames.DenialBurst, severity, e, why, context.Learning);
    }

    /// <summary>Drops addresses idle for a whole window, at most once a minute (a spray must not cost a sweep per request); true when it freed room.</summary>
    private bool Sweep(long now)
    {
        if (_sweptAt != long.MinValue && now - _sweptAt < EventContext.MinuteMs)
        {
            return false;
        }

        _sweptAt = now;
        var before = _addresses.Count;
        var idle = now - (_minutes * EventContext.MinuteMs);
        foreach (var (address, state) in _addresses)
        {
            if (state.LastSeen < idle)
            {
                _addresses.Remove(address);
            }
        }

        return _addresses.Count < before;
    }
}
