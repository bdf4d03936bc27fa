using Keywarden.Core.Audit;
using Keywarden.Monitoring.Detectors;

namespace Keywarden.Monitoring;

/// <summary>
/// Runs every detector over requests given in time order and reports the alerts they raise. Not thread-safe: one
/// thread feeds it (the live monitor's consumer of the gateway's outcomes, or a replay). Memory is bounded per token
/// (fixed-size arrays, see the README) and tokens unseen for the whole history are forgotten.
/// </summary>
/// <remarks>
/// Start-up: <see cref="Prime"/> the history (the last 28 days of the audit log), then <see cref="Observe"/> live
/// requests. Priming learns exactly as observing does, but raises nothing. Time comes from the requests themselves:
/// one earlier than a previous one (records of concurrent requests interleave by milliseconds) counts as at the latest
/// time seen.
/// </remarks>
public sealed class MonitorEngine
{
    private readonly MonitorOptions _options;
    private readonly long _learningMs;
    private readonly long _historyMs;
    private readonly Dictionary<string, TokenState> _tokens = new(StringComparer.Ordinal);
    private readonly ITokenDetector[] _detectors;
    private readonly DenialBurstDetector _denials;
    private readonly AlertSink _sink = new();
    private TokenState? _lastToken;
    private long _now = long.MinValue;
    private long _sweptDay = long.MinValue;

    /// <summary>An engine with fresh baselines.</summary>
    /// <param name="options">The settings, validated here; the defaults when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public MonitorEngine(MonitorOptions? options = null)
    {
        _options = (options ?? new MonitorOptions()).Validate();
        _learningMs = (long)_options.LearningPeriod.TotalMilliseconds;
        _historyMs = (long)_options.History.TotalMilliseconds;
        _denials = new DenialBurstDetector(_options);
        _detectors =
        [
            _denials,
            new VolumeDetector(_options),
            new NewNetworkDetector(_options),
            new NewSurfaceDetector(_options),
            new SendingDetector(_options),
            new UpstreamErrorsDetector(_options),
        ];
    }

    /// <summary>The settings in force.</summary>
    public MonitorOptions Options => _options;

    /// <summary>Tokens with a baseline in memory.</summary>
    public int TokenCount => _tokens.Count;

    /// <summary>Learns from <paramref name="e"/> and adds the alerts it raises to <paramref name="alerts"/> (often none).</summary>
    public void Observe(in MonitorEvent e, ICollection<MonitorAlert> alerts)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        _sink.Target = alerts;
        Run(e);
    }

    /// <summary>Learns from <paramref name="e"/> (history replayed at start-up) without raising anything.</summary>
    public void Prime(in MonitorEvent e)
    {
        _sink.Target = null;
        Run(e);
    }

    internal TokenState? Token(string id) => _tokens.GetValueOrDefault(id);

    internal int AddressCount => _denials.AddressCount;

    private void Run(in MonitorEvent e)
    {
        if (e.Kind != AuditKind.Request)
        {
            return;
        }

        var now = Math.Max(_now, e.Time.ToUnixTimeMilliseconds());
        _now = now;
        if (now / EventContext.DayMs != _sweptDay)
        {
            Sweep(now);
        }

        if (DecoyDetector.Matches(e))
        {
            DecoyDetector.Observe(e, _sink);
            return;
        }

        if (e.TokenId is not { } id)
        {
            _denials.ObserveAddress(e, new EventContext(now, null, Learning: false), _sink);
            return;
        }

        var token = _lastToken;
        if (token is null || !string.Equals(token.Id, id, StringComparison.Ordinal))
        {
            if (!_tokens.TryGetValue(id, out token))
            {
                token = new TokenState(id, now);
                _tokens.Add(id, token);
            }

            _lastToken = token;
        }

        token.LastSeen = now;
        var context = new EventContext(now, token, now - token.FirstSeen < _learningMs);
        foreach (var detector in _detectors)
        {
            detector.Observe(e, context, _sink);
        }
    }

    /// <summary>Once a day: forget tokens unseen for the whole history (revoked, deleted), so memory follows the live tokens.</summary>
    private void Sweep(long now)
    {
        _sweptDay = now / EventContext.DayMs;
        var cutoff = now - _historyMs;
        foreach (var (id, token) in _tokens)
        {
            if (token.LastSeen < cutoff)
            {
                _tokens.Remove(id);
            }
        }

        _lastToken = null;
    }
}
