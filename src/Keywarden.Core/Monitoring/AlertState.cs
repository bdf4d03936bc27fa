namespace Keywarden.Core.Monitoring;

/// <summary>Where an alert is in its life. Stored and exported as its lower-case word.</summary>
public enum AlertState
{
    /// <summary>Raised and not yet looked at; repeats of the same anomaly count into it.</summary>
    Open = 0,

    /// <summary>A person has seen it; repeats still count into it until it is resolved.</summary>
    Acknowledged = 1,

    /// <summary>Closed; a repeat of the anomaly opens a new alert.</summary>
    Resolved = 2,
}
