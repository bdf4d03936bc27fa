namespace Keywarden.Monitoring;

/// <summary>
/// The new-network detector: a client network (IPv4 /24, IPv6 /48; an IPv4-mapped IPv6 address counts as IPv4) the
/// token has not used in its history, once it is past its learning period. A deploy moving the app to another address
/// of the same network is not new.
/// </summary>
public sealed record NewNetworkOptions
{
    /// <summary>
    /// The networks remembered per token. Default 64; when full, the one unused for longest is forgotten (least recently
    /// used), so memory per token is fixed.
    /// </summary>
    public int MaxNetworks { get; init; } = 64;

    /// <summary>
    /// A new network while another network used the token this recently is critical (the same token in two places at
    /// once: the app and someone else), otherwise a warning (perhaps a move). Default 10 minutes.
    /// </summary>
    public TimeSpan ConcurrentWindow { get; init; } = TimeSpan.FromMinutes(10);

    internal void Validate()
    {
        if (MaxNetworks is < 1 or > 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxNetworks), MaxNetworks, "between 1 and 1024");
        }

        if (ConcurrentWindow < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ConcurrentWindow), ConcurrentWindow, "must not be negative");
        }
    }
}
