namespace Keywarden.Storage;

/// <summary>Why and since when a token is suspended: held, not revoked, until an operator resumes it.</summary>
/// <param name="At">When it was suspended.</param>
/// <param name="Reason">
/// Why, in words a person reads, e.g. <c>alert al_… (volume): 412 requests in an hour, expected at most 60</c> or an
/// operator's note. Never a secret.
/// </param>
public sealed record TokenSuspension(DateTimeOffset At, string Reason);
