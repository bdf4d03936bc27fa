using System.CommandLine;
using Keywarden.Cli.Infrastructure;

namespace Keywarden.Cli;

/// <summary>Options every command understands, and the way from a parse result to an opened vault.</summary>
internal sealed class CliGlobals
{
    public CliGlobals(CliContext context) => Context = context;

    public CliContext Context { get; }

    public Option<string?> Data { get; } = new("--data")
    {
        Description = "Data directory (default: $KEYWARDEN_DATA, else ~/.keywarden)",
        Recursive = true,
    };

    public Option<string?> MasterKeyFile { get; } = new("--master-key-file")
    {
        Description = "Master key file (default: $KEYWARDEN_MASTER_KEY_FILE, else master.key in the data directory); ignored when KEYWARDEN_MASTER_KEY is set",
        Recursive = true,
    };

    public Option<string?> Addr { get; } = new("--addr")
    {
        Description = "The admin API to send the command to (remote mode; default: $KEYWARDEN_ADDR, else the vault on this machine)",
        Recursive = true,
    };

    public VaultFactory Vaults(ParseResult result) =>
        new(Context, result.GetValue(Data), result.GetValue(MasterKeyFile));

    public static Option<bool> JsonOption() => new("--json") { Description = "Print JSON for scripts" };
}
