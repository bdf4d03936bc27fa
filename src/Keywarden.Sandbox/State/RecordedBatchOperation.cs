namespace Keywarden.Sandbox;

/// <summary>One operation of a batch as the sandbox ran it.</summary>
public sealed record RecordedBatchOperation(string Method, string Path, string? OperationId, int Status);
