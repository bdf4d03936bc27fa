namespace Keywarden.Core.Monitoring;

/// <summary>
/// What Keywarden does when the anomaly monitor raises an alert about a token (issue 12, item 7). Stored and shown as its
/// lower-case word. A token without a setting of its own follows the server's default, which is <see cref="Alert"/>.
/// </summary>
public enum AnomalyResponse
{
    /// <summary>Raise the alert only; the token keeps working.</summary>
    Alert = 0,

    /// <summary>Raise the alert and suspend the token until an operator resumes it (never on info alerts or learning-period data).</summary>
    Suspend = 1,
}
