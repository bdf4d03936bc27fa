namespace Keywarden.AdminApi.Endpoints.Requests;

/// <summary>The body of <c>POST /v1/auth/join</c>: an invitation (or setup) code redeemed with a new password.</summary>
/// <param name="Code">The <c>kwi_…</c> code; a secret.</param>
/// <param name="Password">The new password; a secret.</param>
public sealed record JoinRequest(string Code, string Password)
{
    /// <summary>Never shows the code or password.</summary>
    public override string ToString() => "JoinRequest";
}
