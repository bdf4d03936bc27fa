namespace Keywarden.AdminApi.Endpoints.Requests;

/// <summary>The body of <c>POST /v1/rotations/{upstream}/submit</c>: the new key (in the body, never the URL).</summary>
/// <param name="Key">The new key; a secret: never logged or echoed.</param>
public sealed record SubmitRotationKeyRequest(string Key)
{
    /// <summary>Never shows the key.</summary>
    public override string ToString() => "SubmitRotationKeyRequest { Key = (hidden) }";
}
