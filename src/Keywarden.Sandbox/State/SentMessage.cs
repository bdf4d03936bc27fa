namespace Keywarden.Sandbox;

/// <summary>A message accepted by Transactional messages/send or messages/send-template (bodies are not kept).</summary>
public sealed record SentMessage(
    DateTimeOffset Time,
    string AccountId,
    string KeyId,
    string Method,
    string? TemplateName,
    string? FromEmail,
    string? Subject,
    IReadOnlyList<SentRecipient> Recipients);
