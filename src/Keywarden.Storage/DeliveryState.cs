namespace Keywarden.Storage;

/// <summary>Where one alert's notification to one target is. Stored as its lower-case word.</summary>
public enum DeliveryState
{
    /// <summary>Not yet accepted by the receiver: tried again at its next attempt time, for as long as the target exists.</summary>
    Pending = 0,

    /// <summary>The receiver answered 2xx.</summary>
    Delivered = 1,

    /// <summary>Its target was removed before it could be delivered.</summary>
    Cancelled = 2,
}
