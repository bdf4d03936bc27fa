using Keywarden.Core.Crypto;
using Keywarden.Core.Monitoring;

namespace Keywarden.Storage;

/// <summary>A place alerts are sent to: a webhook. Its URL and signing secret are sealed; only a display form is in clear.</summary>
/// <param name="Id">Stable id, e.g. <c>nt_…</c>.</param>
/// <param name="Format">The body's shape.</param>
/// <param name="MinSeverity">Alerts below this severity are not sent here.</param>
/// <param name="Display">The URL without what may be secret in it (scheme, host and port, and an ellipsis for any path), for listings and logs.</param>
/// <param name="Secret">The sealed URL and signing secret (<c>EnvelopeCipher</c>, bound to <paramref name="Id"/>).</param>
/// <param name="CreatedAt">When it was added: alerts raised before it are not sent to it.</param>
public sealed record NotificationTargetRecord(
    string Id,
    NotificationFormat Format,
    AlertSeverity MinSeverity,
    string Display,
    SealedSecret Secret,
    DateTimeOffset CreatedAt);
