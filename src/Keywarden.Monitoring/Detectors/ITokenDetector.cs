namespace Keywarden.Monitoring.Detectors;

/// <summary>A detector that looks at the requests of known tokens, one at a time, in time order.</summary>
internal interface ITokenDetector
{
    void Observe(in MonitorEvent e, in EventContext context, AlertSink sink);
}
