namespace Keywarden.Core.Monitoring;

/// <summary>How bad an anomaly alert is. Ordered: a higher value is more severe. Stored and exported as its lower-case word.</summary>
public enum AlertSeverity
{
    /// <summary>Worth knowing; never acted on automatically (no suspension, no notification unless asked for).</summary>
    Info = 0,

    /// <summary>Unusual use a person should look at.</summary>
    Warning = 1,

    /// <summary>Almost certainly abuse (a decoy token used, a stolen token scraping): act now.</summary>
    Critical = 2,
}
