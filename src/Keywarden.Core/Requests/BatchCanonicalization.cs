namespace Keywarden.Core.Requests;

/// <summary>The outcome of <see cref="RequestCanonicalizer.CanonicalizeBatch"/>: every operation, or an error with a short detail.</summary>
/// <param name="Operations">Each batch operation in canonical form, in body order, or null on error.</param>
/// <param name="Error">Why there are no operations; <see cref="CanonicalizationError.None"/> on success.</param>
/// <param name="Detail">A short human explanation of the error (never a secret), or null on success.</param>
public readonly record struct BatchCanonicalization(IReadOnlyList<CanonicalOperation>? Operations, CanonicalizationError Error, string? Detail)
{
    /// <summary>True when <see cref="Operations"/> is set.</summary>
    public bool Success => Operations is not null;

    internal static BatchCanonicalization Fail(CanonicalizationError error, string detail) => new(null, error, detail);
}
