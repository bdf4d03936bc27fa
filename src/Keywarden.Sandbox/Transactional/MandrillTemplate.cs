namespace Keywarden.Sandbox.Transactional;

/// <summary>A Transactional template (templates/add). Guarded by its account's lock.</summary>
internal sealed record MandrillTemplate(
    string Slug,
    string Name,
    string? Code,
    string? Subject,
    string? FromEmail,
    string? FromName,
    string? Text,
    bool Publish,
    IReadOnlyList<string> Labels,
    DateTimeOffset CreatedAt);
