using Keywarden.Core.Keys;

namespace Keywarden.Application;

/// <summary>What adding an upstream asks for.</summary>
/// <param name="Name">Unique name, lower case letters, digits, '.', '_' and '-'.</param>
/// <param name="Kind">Marketing or Transactional.</param>
/// <param name="KeyText">The key as read from stdin or a file. Never from argv.</param>
/// <param name="KeyLabel">The name the key was given in Mailchimp, if known.</param>
/// <param name="BaseUrl">A non-Mailchimp address (the sandbox), or null.</param>
/// <param name="Verify">Verify the key against the upstream before storing it.</param>
/// <param name="MaxKeyAge">Rotation is due when the key is older than this.</param>
public sealed record AddUpstreamRequest(
    string Name,
    UpstreamKind Kind,
    string KeyText,
    string? KeyLabel,
    Uri? BaseUrl,
    bool Verify,
    TimeSpan MaxKeyAge)
{
    /// <summary>The default maximum key age: 90 days.</summary>
    public static readonly TimeSpan DefaultMaxKeyAge = TimeSpan.FromDays(90);

    /// <summary>Never shows the key.</summary>
    public override string ToString() => $"AddUpstreamRequest {{ Name = {Name}, Kind = {Kind} }}";
}
