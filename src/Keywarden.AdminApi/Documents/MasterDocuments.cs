using Keywarden.Application;

namespace Keywarden.AdminApi.Documents;

/// <summary>The document of <c>master rotate --json</c> and <c>POST /v1/master/rotate</c>: ids and file names, never a key.</summary>
public static class MasterDocuments
{
    /// <summary>A finished rotation from <paramref name="previousId"/> to <paramref name="newId"/>.</summary>
    public static object Rotated(string newId, string previousId, MasterKeyRotated rotated, MasterKeySource source)
    {
        ArgumentNullException.ThrowIfNull(rotated);
        ArgumentNullException.ThrowIfNull(source);
        return new
        {
            master_key_id = newId,
            previous_master_key_id = previousId,
            secrets_rewrapped = rotated.Rewrapped,
            key_file = source.FromEnvironment ? null : source.KeyFilePath,
            previous_key_file = rotated.PreviousKeyFile,
        };
    }
}
