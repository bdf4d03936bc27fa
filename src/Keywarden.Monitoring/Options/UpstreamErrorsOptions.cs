namespace Keywarden.Monitoring;

/// <summary>
/// The upstream-errors detector: among a token's forwarded requests in a sliding window, the share Mailchimp answered
/// 401, 403 or 5xx (the key revoked behind Keywarden's back, the account suspended, an outage), against the token's
/// error rate over the history, or a run of failures in a row. 404 and 429 are not errors here: apps look members up and get rate limited every day.
/// </summary>
public sealed record UpstreamErrorsOptions
{
    /// <summary>The window. Default 10 minutes. 1 to 60 whole minutes.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Errors in the window needed at all. Default 10 (a couple of 500s in a busy hour are Mailchimp's normal).</summary>
    public int MinErrors { get; init; } = 10;

    /// <summary>The share of the window's forwarded requests that must have failed, at least. Default 0.5.</summary>
    public double MinRate { get; init; } = 0.5;

    /// <summary>The window's error share must also be this many times the token's share over the history. Default 5.</summary>
    public double RateMultiplier { get; init; } = 5;

    /// <summary>
    /// Forwarded requests failing in a row that raise the alert whatever the window holds. Default 10: a quiet token
    /// whose key was revoked makes a few requests an hour, all failing; a healthy one never fails ten times running.
    /// </summary>
    public int ConsecutiveErrors { get; init; } = 10;

    /// <summary>
    /// Forwarded requests refused with 401 or 403 in a row that raise the alert. Default 3: the gateway sends a key that
    /// verified when it was stored, so Mailchimp refusing it three times running means it was revoked or the account
    /// locked, however quiet the token (a run of 5xx needs <see cref="ConsecutiveErrors"/>: outages are Mailchimp's).
    /// </summary>
    public int ConsecutiveAuthErrors { get; init; } = 3;

    internal void Validate()
    {
        MonitorOptions.Window(Window, nameof(Window));
        MonitorOptions.Positive(ConsecutiveErrors, nameof(ConsecutiveErrors));
        MonitorOptions.Positive(ConsecutiveAuthErrors, nameof(ConsecutiveAuthErrors));
        MonitorOptions.Positive(MinErrors, nameof(MinErrors));
        if (MinRate is not (> 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(MinRate), MinRate, "a share between 0 and 1");
        }

        MonitorOptions.Positive(RateMultiplier, nameof(RateMultiplier));
    }
}
