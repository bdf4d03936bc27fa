using Keywarden.Core.Keys;

namespace Keywarden.Scanner;

/// <summary>How <c>--verify</c> asks the upstreams about found keys. Defaults are Mailchimp's real hosts.</summary>
public sealed class VerifyOptions
{
    /// <summary>Used for every check; its lifetime is the caller's.</summary>
    public required HttpClient Http { get; init; }

    /// <summary>Where an API's keys are checked instead of its real address (a sandbox, a test server); absent: the real one.</summary>
    public IReadOnlyDictionary<UpstreamKind, Uri> BaseAddresses { get; init; } = new Dictionary<UpstreamKind, Uri>();

    /// <summary>Checks in flight at once (default 4).</summary>
    public int MaxConcurrency { get; init; } = 4;

    /// <summary>Checks started per second, at most (default 10).</summary>
    public int MaxPerSecond { get; init; } = 10;

    /// <summary>A check not answered within this is <see cref="VerificationStatus.Unknown"/> (default 10 s).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The clock that paces the checks.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
