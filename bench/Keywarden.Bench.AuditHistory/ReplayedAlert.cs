namespace Keywarden.Bench.AuditHistory;

/// <summary>An alert as the scorer needs it: from <c>monitor replay --json</c>, or folded in-process by the engine's ledger.</summary>
internal sealed record ReplayedAlert(string Detector, string Severity, string? TokenId, string? Client, DateTimeOffset FirstTime, DateTimeOffset LastTime, int Count, string Why);
