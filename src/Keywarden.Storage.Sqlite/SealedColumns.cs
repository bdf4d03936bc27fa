using Keywarden.Core.Crypto;
using Microsoft.Data.Sqlite;

namespace Keywarden.Storage.Sqlite;

/// <summary>
/// What the tables holding sealed secrets share: columns <c>id</c>, <c>ciphertext</c>, <c>wrapped_data_key</c> and
/// <c>master_key_id</c> (<c>upstream_keys</c>, <c>notification_targets</c>, <c>operator_totp</c>), re-wrapped together by a master key rotation.
/// </summary>
internal static class SealedColumns
{
    /// <summary>
    /// Re-wraps every row of <paramref name="table"/> with <paramref name="rewrap"/>, inside the caller's transaction, checking
    /// each result is for <paramref name="newMasterKeyId"/>. Returns how many rows.
    /// </summary>
    /// <exception cref="InvalidOperationException">A re-wrap returned nothing, or a secret for another master key: the caller's transaction must not commit.</exception>
    public static async Task<int> RewrapAsync(
        SqliteTransaction transaction, string table, string what, Func<string, SealedSecret, SealedSecret> rewrap, string newMasterKeyId, CancellationToken cancellationToken)
    {
        List<(string Id, SealedSecret Secret)> rows;
        await using (var read = transaction.Sql($"SELECT id, ciphertext, wrapped_data_key, master_key_id FROM {table} ORDER BY id"))
        {
            rows = await read.ListAsync(r => (r.GetString(0), new SealedSecret(r.GetBlob(1), r.GetBlob(2), r.GetString(3))), cancellationToken);
        }

        foreach (var (id, secret) in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rewrapped = rewrap(id, secret) ?? throw new InvalidOperationException($"re-wrapping {what} '{id}' returned null");
            if (!string.Equals(rewrapped.MasterKeyId, newMasterKeyId, StringComparison.Ordinal))
            {
                throw new InvalidOperationException(
                    $"re-wrapping {what} '{id}' gave a secret for master key {rewrapped.MasterKeyId}, expected {newMasterKeyId}");
            }

            await using var update = transaction.Sql(
                $"UPDATE {table} SET ciphertext = $ciphertext, wrapped_data_key = $wrapped_data_key, master_key_id = $master_key_id WHERE id = $id");
            await update
                .With("$ciphertext", rewrapped.Ciphertext)
                .With("$wrapped_data_key", rewrapped.WrappedDataKey)
                .With("$master_key_id", rewrapped.MasterKeyId)
                .With("$id", id)
                .ExecuteNonQueryAsync(cancellationToken);
        }

        return rows.Count;
    }
}
