using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keywarden.AdminApi.Documents;
using Keywarden.AdminApi.Endpoints.Requests;
using Keywarden.Application;
using Keywarden.Cli.Infrastructure;
using Keywarden.Cli.Remote;
using Keywarden.Core.Crypto;

namespace Keywarden.Cli.Commands;

/// <summary><c>keywarden master rotate</c>: re-wraps every data key with a new master key in one transaction.</summary>
internal static class MasterCommands
{
    private const string NewKeyWhat = "new master key";

    public static Command Create(CliGlobals globals)
    {
        var command = new Command("master", "The master key that wraps every data key");
        var newKeyFile = new Option<string?>("--new-key-file")
        {
            Description = "With KEYWARDEN_MASTER_KEY set (here, or on the server in remote mode): file holding the new base64 master key (else read from stdin)",
        };
        var json = CliGlobals.JsonOption();
        var rotate = new Command("rotate", "Re-wrap every stored secret with a new master key, all or nothing") { newKeyFile, json };
        rotate.SetAction(async (result, cancellationToken) =>
        {
            var context = globals.Context;
            JsonObject rotated;
            if (AdminClient.ForCommand(context) is { } remote)
            {
                using (remote)
                {
                    rotated = await RotateRemotelyAsync(context, remote, result.GetValue(newKeyFile), cancellationToken);
                }
            }
            else
            {
                rotated = await RotateLocallyAsync(context, globals.Vaults(result), result.GetValue(newKeyFile), cancellationToken);
            }

            await PrintAsync(context, rotated, result.GetValue(json));
            return ExitCodes.Ok;
        });
        command.Subcommands.Add(rotate);
        return command;
    }

    private static async Task<JsonObject> RotateLocallyAsync(CliContext context, VaultFactory factory, string? newKeyFile, CancellationToken cancellationToken)
    {
        await using var vault = await factory.OpenAsync(cancellationToken);
        MasterKey newKey;
        if (factory.KeySource.FromEnvironment)
        {
            var text = await SecretInput.ReadAsync(context, newKeyFile, NewKeyWhat, cancellationToken);
            try
            {
                newKey = MasterKey.FromBase64(text);
            }
            catch (KeywardenCryptoException e)
            {
                throw new CliException("new master key: " + e.Message, e);
            }
        }
        else
        {
            if (newKeyFile is not null)
            {
                throw new CliException("--new-key-file is for KEYWARDEN_MASTER_KEY users; with a key file a new key is generated for you");
            }

            newKey = MasterKey.Generate();
        }

        using (newKey)
        {
            var previous = vault.MasterKey.Id;
            var rotated = await MasterKeyRotation.RotateAsync(vault.Store, factory.KeySource, vault.MasterKey, newKey, cancellationToken);
            return JsonSerializer.SerializeToNode(MasterDocuments.Rotated(newKey.Id, previous, rotated, factory.KeySource), JsonOutput.Options)!.AsObject();
        }
    }

    /// <summary>
    /// <c>POST /v1/master/rotate</c>: with <c>--new-key-file</c> the key in it; else none first, and the key from stdin (or
    /// a hidden prompt) when the server answers that it runs on <c>KEYWARDEN_MASTER_KEY</c> and needs one.
    /// </summary>
    private static async Task<JsonObject> RotateRemotelyAsync(CliContext context, AdminClient remote, string? newKeyFile, CancellationToken cancellationToken)
    {
        var given = newKeyFile is null ? null : await SecretInput.ReadAsync(context, newKeyFile, NewKeyWhat, cancellationToken);
        try
        {
            return await remote.PostAsync("v1/master/rotate", new RotateMasterKeyRequest(given), cancellationToken);
        }
        catch (CliException e) when (e.ProblemCode == "new_master_key_required" && given is null)
        {
            var asked = await SecretInput.ReadAsync(context, null, NewKeyWhat, cancellationToken);
            return await remote.PostAsync("v1/master/rotate", new RotateMasterKeyRequest(asked), cancellationToken);
        }
    }

    /// <summary>The same words (or <c>--json</c> document) for a rotation done here or on the server.</summary>
    private static async Task PrintAsync(CliContext context, JsonObject rotated, bool json)
    {
        rotated.Remove("version");
        if (json)
        {
            JsonOutput.Write(context, rotated);
            return;
        }

        var newId = rotated["master_key_id"]?.GetValue<string>();
        var previousId = rotated["previous_master_key_id"]?.GetValue<string>();
        await context.Out.WriteLineAsync($"Re-wrapped {rotated["secrets_rewrapped"]?.GetValue<int>()} secret(s) with master key {newId} (was {previousId}).");
        if (rotated["key_file"]?.GetValue<string>() is not { } keyFile)
        {
            await context.Error.WriteLineAsync(
                $"Now set {MasterKeySource.KeyVariable} to the new key everywhere Keywarden runs: the old one no longer opens this store. "
                + $"Keep the old key ({previousId}) as long as you keep backups of the data directory made before now: they are sealed under it.");
            return;
        }

        await context.Out.WriteLineAsync($"The new key replaced {keyFile}.");
        await context.Out.WriteLineAsync(
            $"The previous key is kept in {rotated["previous_key_file"]?.GetValue<string>()} (mode 0600): backups of the data directory made before now are sealed under it. "
            + "Move it to where your backups are kept, and delete it once no backup needs it.");
    }
}
