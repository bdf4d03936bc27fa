using System.CommandLine;
using Keywarden.Application;
using Keywarden.Cli.Infrastructure;
using Keywarden.Cli.Remote;
using Keywarden.Core.Crypto;

namespace Keywarden.Cli.Commands;

/// <summary><c>keywarden master rotate</c>: re-wraps every data key with a new master key in one transaction.</summary>
internal static class MasterCommands
{
    public static Command Create(CliGlobals globals)
    {
        var command = new Command("master", "The master key that wraps every data key");
        var newKeyFile = new Option<string?>("--new-key-file")
        {
            Description = "With KEYWARDEN_MASTER_KEY set: file holding the new base64 master key (else read from stdin)",
        };
        var json = CliGlobals.JsonOption();
        var rotate = new Command("rotate", "Re-wrap every stored secret with a new master key, all or nothing") { newKeyFile, json };
        rotate.SetAction(async (result, cancellationToken) =>
        {
            // The admin API has no master-key endpoint: in remote mode, refuse rather than rotate a local vault by mistake.
            AdminClient.RefuseRemote(globals.Context, "master rotate");
            var context = globals.Context;
            var factory = globals.Vaults(result);
            await using var vault = await factory.OpenAsync(cancellationToken);
            MasterKey newKey;
            if (factory.KeySource.FromEnvironment)
            {
                var text = await SecretInput.ReadAsync(context, result.GetValue(newKeyFile), "new master key", cancellationToken);
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
                if (result.GetValue(newKeyFile) is not null)
                {
                    throw new CliException("--new-key-file is for KEYWARDEN_MASTER_KEY users; with a key file a new key is generated for you");
                }

                newKey = MasterKey.Generate();
            }

            using (newKey)
            {
                var rotated = await MasterKeyRotation.RotateAsync(vault.Store, factory.KeySource, vault.MasterKey, newKey, cancellationToken);
                if (result.GetValue(json))
                {
                    JsonOutput.Write(context, new
                    {
                        master_key_id = newKey.Id,
                        previous_master_key_id = vault.MasterKey.Id,
                        secrets_rewrapped = rotated.Rewrapped,
                        key_file = factory.KeySource.FromEnvironment ? null : factory.KeySource.KeyFilePath,
                        previous_key_file = rotated.PreviousKeyFile,
                    });
                    return ExitCodes.Ok;
                }

                await context.Out.WriteLineAsync($"Re-wrapped {rotated.Rewrapped} secret(s) with master key {newKey.Id} (was {vault.MasterKey.Id}).");
                if (factory.KeySource.FromEnvironment)
                {
                    await context.Error.WriteLineAsync(
                        $"Now set {MasterKeySource.KeyVariable} to the new key everywhere Keywarden runs: the old one no longer opens this store. "
                        + $"Keep the old key ({vault.MasterKey.Id}) as long as you keep backups of the data directory made before now: they are sealed under it.");
                }
                else
                {
                    await context.Out.WriteLineAsync($"The new key replaced {factory.KeySource.KeyFilePath}.");
                    await context.Out.WriteLineAsync(
                        $"The previous key is kept in {rotated.PreviousKeyFile} (mode 0600): backups of the data directory made before now are sealed under it. "
                        + "Move it to where your backups are kept, and delete it once no backup needs it.");
                }
            }

            return ExitCodes.Ok;
        });
        command.Subcommands.Add(rotate);
        return command;
    }
}
