namespace Keywarden.AdminApi.Endpoints.Requests;

/// <summary>The body of <c>POST /v1/auth/join/confirm</c>: the first TOTP code of a new operator's app.</summary>
/// <param name="Name">The operator's name (from the answer to <c>POST /v1/auth/join</c>).</param>
/// <param name="Password">The password chosen at join; a secret.</param>
/// <param name="Code">The first TOTP code; a secret.</param>
public sealed record ConfirmJoinRequest(string Name, string Password, string Code)
{
    /// <summary>Never shows the password or code.</summary>
    public override string ToString() => $"ConfirmJoinRequest {{ Name = {Name} }}";
}
