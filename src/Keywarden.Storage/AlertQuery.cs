using Keywarden.Core.Monitoring;

namespace Keywarden.Storage;

/// <summary>Which alerts <see cref="IAlertStore.ListAlertsAsync"/> returns. Every filter given must hold; none given lists every alert.</summary>
public sealed record AlertQuery
{
    /// <summary>The most alerts one page holds.</summary>
    public const int MaxLimit = 1000;

    /// <summary>Only alerts in one of these states; empty for every state.</summary>
    public IReadOnlyList<AlertState> States { get; init; } = [];

    /// <summary>Only alerts at least this severe, or null for every severity.</summary>
    public AlertSeverity? MinimumSeverity { get; init; }

    /// <summary>Only alerts about this token, or null.</summary>
    public string? TokenId { get; init; }

    /// <summary>Only alerts of this detector, or null.</summary>
    public string? Detector { get; init; }

    /// <summary>The size of the page: 1 to <see cref="MaxLimit"/>; 100 unless given.</summary>
    public int Limit { get; init; } = 100;

    /// <summary>Only alerts listed after this one (the cursor of the previous page), or null for the first page.</summary>
    public AlertCursor? Before { get; init; }

    /// <summary>Checks the limit.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The limit is not 1 to <see cref="MaxLimit"/>.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Limit, 1, nameof(Limit));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Limit, MaxLimit, nameof(Limit));
    }
}
