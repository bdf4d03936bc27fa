namespace Keywarden.AdminApi.Endpoints.Requests;

/// <summary>The body of <c>POST /v1/auth/step-up</c>.</summary>
/// <param name="Code">A TOTP code; a secret.</param>
public sealed record StepUpRequest(string Code)
{
    /// <summary>Never shows the code.</summary>
    public override string ToString() => "StepUpRequest";
}
