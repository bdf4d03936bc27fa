namespace Keywarden.Sandbox;

/// <summary>One recipient of a <see cref="SentMessage"/> with the status and id the sandbox answered.</summary>
public sealed record SentRecipient(string Email, string Type, string Status, string MessageId);
