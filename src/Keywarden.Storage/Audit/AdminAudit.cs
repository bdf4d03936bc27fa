using Keywarden.Core.Audit;
using Keywarden.Storage.Vault;

namespace Keywarden.Storage.Audit;

/// <summary>Appends the audit record of an administrative action once the action has succeeded.</summary>
internal static class AdminAudit
{
    /// <summary>Who acts when nobody says otherwise: the operating system user running Keywarden.</summary>
    public static string DefaultActor => Environment.UserName;

    /// <summary>
    /// Appends <paramref name="entry"/>. If that fails, the action has already happened: the
    /// exception says so (<paramref name="done"/>) rather than suggesting nothing changed.
    /// </summary>
    public static async Task RecordAsync(IAuditStore store, AuditEntry entry, string done, CancellationToken cancellationToken)
    {
        try
        {
            await store.AppendAsync([entry], cancellationToken);
        }
        catch (StorageException e)
        {
            throw new VaultException($"{done}, but its audit record could not be written: {e.Message}", e);
        }
    }
}
