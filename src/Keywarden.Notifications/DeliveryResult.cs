namespace Keywarden.Notifications;

/// <summary>How one delivery attempt ended: accepted, or why not in a few words (a status code, a timeout; never the URL).</summary>
/// <param name="Delivered">The receiver answered 2xx.</param>
/// <param name="Failure">Why not, when not.</param>
public sealed record DeliveryResult(bool Delivered, string? Failure)
{
    /// <summary>Accepted.</summary>
    public static DeliveryResult Accepted { get; } = new(true, null);

    /// <summary>Refused or failed, with why.</summary>
    public static DeliveryResult Failed(string failure) => new(false, failure);
}
