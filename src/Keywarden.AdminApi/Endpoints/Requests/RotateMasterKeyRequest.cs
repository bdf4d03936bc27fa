namespace Keywarden.AdminApi.Endpoints.Requests;

/// <summary>The body of <c>POST /v1/master/rotate</c>.</summary>
/// <param name="NewKey">
/// The new master key (base64 of 32 random bytes) when the server takes its key from <c>KEYWARDEN_MASTER_KEY</c>; absent
/// when it keeps a key file, for which the server generates the new key itself.
/// </param>
public sealed record RotateMasterKeyRequest(string? NewKey = null)
{
    /// <summary>Never shows the key.</summary>
    public override string ToString() => "RotateMasterKeyRequest";
}
