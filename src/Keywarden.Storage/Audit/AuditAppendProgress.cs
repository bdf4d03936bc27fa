// In the Audit folder with the rest of the audit story, but in the namespace of the other store interfaces.
#pragma warning disable IDE0130
namespace Keywarden.Storage;
#pragma warning restore IDE0130

/// <summary>The phase an audit append in progress is in, and for how long it has been in it.</summary>
public readonly record struct AuditAppendProgress(AuditAppendPhase Phase, TimeSpan Elapsed);
