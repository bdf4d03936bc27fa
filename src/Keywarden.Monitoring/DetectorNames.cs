namespace Keywarden.Monitoring;

/// <summary>The detectors' stable ids, as alerts, metrics and the alert store carry them. Stable once released.</summary>
public static class DetectorNames
{
    /// <summary>Requests per hour far above the token's usual for that hour of the week.</summary>
    public const string Volume = "volume";

    /// <summary>A client network (IPv4 /24, IPv6 /48) the token never used.</summary>
    public const string NewNetwork = "new-network";

    /// <summary>A method and path family (or Transactional call) the token never used.</summary>
    public const string NewSurface = "new-surface";

    /// <summary>Many refusals in a short window, for a token or for a client address without a valid token.</summary>
    public const string DenialBurst = "denial-burst";

    /// <summary>Recipients per message or per day far above the token's usual; sends refused by the sender rules.</summary>
    public const string Sending = "sending";

    /// <summary>A jump in upstream 401, 403 and 5xx answers for a token.</summary>
    public const string UpstreamErrors = "upstream-errors";

    /// <summary>A decoy token used: always critical.</summary>
    public const string Decoy = "decoy";

    /// <summary>Every detector id, in the order the engine runs them.</summary>
    public static IReadOnlyList<string> All { get; } = [Decoy, DenialBurst, Volume, NewNetwork, NewSurface, Sending, UpstreamErrors];
}
