using System.CommandLine;
using Keywarden.Application;
using Keywarden.Cli.Infrastructure;

namespace Keywarden.Cli.Commands;

/// <summary><c>keywarden init</c>: creates the data directory, the database and (unless one is given) the master key file.</summary>
internal static class InitCommand
{
    public static Command Create(CliGlobals globals)
    {
        var admin = new Option<string>("--admin")
        {
            Description = "The first admin's login name; init prints a one-time setup code they redeem with 'keywarden operator join'",
            DefaultValueFactory = _ => "admin",
            HelpName = "name",
        };
        var noSetupCode = new Option<bool>("--no-setup-code")
        {
            Description = "Print no setup code (nobody can join until 'keywarden operator add' is run here): for a vault only used on this machine",
        };
        var json = CliGlobals.JsonOption();
        var command = new Command("init", "Create the data directory, its database and a master key file (mode 0600), and the first admin's setup code")
        {
            admin, noSetupCode, json,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var context = globals.Context;
            var vaults = globals.Vaults(result);
            var data = vaults.Data;
            if (data.IsInitialized)
            {
                throw new CliException($"{data.Root} is already initialised; nothing was changed");
            }

            data.Create();

            var createdKeyFile = false;
            using var masterKey = vaults.KeySource.FromEnvironment || File.Exists(vaults.KeySource.KeyFilePath)
                ? vaults.KeySource.Load()
                : Created(vaults.KeySource, out createdKeyFile);
            IssuedInvitation? setup = null;
            try
            {
                await using var store = await vaults.CreateStoreAsync(cancellationToken);
                await store.SetMasterKeyIdAsync(masterKey.Id, cancellationToken);
                if (!result.GetValue(noSetupCode))
                {
                    setup = await new OperatorService(store, masterKey, context.Time).CreateSetupCodeAsync(result.GetValue(admin)!, AdminActor.Local, cancellationToken);
                }
            }
            catch
            {
                // Nothing half-written: without its database the new key file is useless, so remove both.
                File.Delete(data.DatabasePath);
                if (createdKeyFile)
                {
                    File.Delete(vaults.KeySource.KeyFilePath);
                }

                throw;
            }

            var fromFile = !vaults.KeySource.FromEnvironment;
            var remember = fromFile
                && !string.Equals(vaults.KeySource.KeyFilePath, Path.GetFullPath(data.DefaultMasterKeyFile), StringComparison.Ordinal);
            if (remember)
            {
                // Remembered, so later commands need neither the option nor the variable.
                data.RememberMasterKeyFile(vaults.KeySource.KeyFilePath);
            }

            if (result.GetValue(json))
            {
                JsonOutput.Write(context, new
                {
                    data_dir = data.Root,
                    database = data.DatabasePath,
                    master_key_id = masterKey.Id,
                    master_key_source = fromFile ? "file" : "environment",
                    master_key_file = fromFile ? vaults.KeySource.KeyFilePath : null,
                    master_key_created = createdKeyFile,
                    settings_file = remember ? data.SettingsPath : null,
                    admin = setup?.Name,
                    setup_code = setup?.Code,
                    setup_code_expires_at = setup?.ExpiresAt,
                });
            }
            else if (!fromFile)
            {
                await context.Out.WriteLineAsync($"Initialised {data.Root}");
                await context.Out.WriteLineAsync($"  database    {data.DatabasePath}");
                await context.Out.WriteLineAsync($"  master key  from {MasterKeySource.KeyVariable} (id {masterKey.Id})");
            }
            else
            {
                await context.Out.WriteLineAsync($"Initialised {data.Root}");
                await context.Out.WriteLineAsync($"  database    {data.DatabasePath}");
                await context.Out.WriteLineAsync($"  master key  {vaults.KeySource.KeyFilePath} (id {masterKey.Id}, mode 0600{(createdKeyFile ? ", new" : ", existing")})");
                if (remember)
                {
                    await context.Out.WriteLineAsync(
                        $"  remembered  in {data.SettingsPath}: later commands use this key file (--master-key-file or {MasterKeySource.FileVariable} override it)");
                }
            }

            if (!result.GetValue(json) && setup is not null)
            {
                await context.Out.WriteLineAsync(
                    $"  first admin '{setup.Name}': one-time setup code (shown once, valid until {setup.ExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC):");
                await context.Out.WriteLineAsync($"    {setup.Code}");
                await context.Out.WriteLineAsync("    redeem it with a password and an authenticator app: keywarden operator join");
            }

            if (!result.GetValue(json))
            {
                await context.Out.WriteLineAsync("Next: keywarden upstream add NAME --kind marketing --key-file key.txt (or the key on stdin)");
            }

            if (fromFile && IsInside(vaults.KeySource.KeyFilePath, data.Root))
            {
                await context.Error.WriteLineAsync(
                    "warning: the master key file sits beside the data it protects: anyone who copies the data directory can read every key. "
                    + $"Move it off the data volume and set {MasterKeySource.FileVariable}, or use {MasterKeySource.KeyVariable}.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Core.Crypto.MasterKey Created(MasterKeySource source, out bool created)
    {
        created = true;
        return source.CreateFile();
    }

    private static bool IsInside(string path, string directory) =>
        Path.GetFullPath(path).StartsWith(Path.GetFullPath(directory) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
