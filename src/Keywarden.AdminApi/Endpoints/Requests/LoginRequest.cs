namespace Keywarden.AdminApi.Endpoints.Requests;

/// <summary>The body of <c>POST /v1/auth/login</c>.</summary>
/// <param name="Name">The operator's name.</param>
/// <param name="Password">The password; a secret.</param>
/// <param name="Code">The TOTP code (or a recovery code); a secret.</param>
public sealed record LoginRequest(string Name, string Password, string Code)
{
    /// <summary>Never shows the password or code.</summary>
    public override string ToString() => $"LoginRequest {{ Name = {Name} }}";
}
