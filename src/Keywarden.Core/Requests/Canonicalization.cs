namespace Keywarden.Core.Requests;

/// <summary>The outcome of <see cref="RequestCanonicalizer.Canonicalize"/>: a request, or an error with a short detail.</summary>
/// <param name="Request">The canonical request, or null on error.</param>
/// <param name="Error">Why there is no request; <see cref="CanonicalizationError.None"/> on success.</param>
/// <param name="Detail">A short human explanation of the error (never a secret), or null on success.</param>
public readonly record struct Canonicalization(CanonicalRequest? Request, CanonicalizationError Error, string? Detail)
{
    /// <summary>True when <see cref="Request"/> is set.</summary>
    public bool Success => Request is not null;

    internal static Canonicalization Ok(CanonicalRequest request) => new(request, CanonicalizationError.None, null);

    internal static Canonicalization Fail(CanonicalizationError error, string detail) => new(null, error, detail);
}
