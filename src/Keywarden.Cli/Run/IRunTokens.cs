namespace Keywarden.Cli.Run;

/// <summary>
/// Issues and revokes the short-lived token of one <c>keywarden run</c>. <see cref="LocalRunTokens"/> works on the vault in
/// the data directory; a client of the admin API can take its place without <see cref="RunCommand"/> changing.
/// </summary>
internal interface IRunTokens
{
    /// <summary>Issues the token; its secret is in the result and nowhere else.</summary>
    Task<RunToken> IssueAsync(RunTokenRequest request, CancellationToken cancellationToken = default);

    /// <summary>Revokes the token by its id. Idempotent.</summary>
    Task RevokeAsync(string id, CancellationToken cancellationToken = default);
}
