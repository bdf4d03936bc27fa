using System.CommandLine;
using Keywarden.Sandbox;

namespace Keywarden.Cli.Commands;

/// <summary><c>keywarden sandbox --listen URL</c>: the Mailchimp simulator, for tests, demos and trying Keywarden without a Mailchimp account.</summary>
internal static class SandboxCommand
{
    public const string DefaultListen = "http://127.0.0.1:8099";

    public static Command Create(CliGlobals globals)
    {
        var listen = new Option<string>("--listen")
        {
            Description = "Address to listen on",
            DefaultValueFactory = _ => DefaultListen,
        };
        var command = new Command("sandbox", "Run the Mailchimp simulator (Marketing 3.0, Transactional, and a control API under /_sandbox/)") { listen };
        command.SetAction(async (result, cancellationToken) =>
        {
            var url = result.GetValue(listen)!;
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != "http")
            {
                throw new CliException($"invalid --listen '{url}': expected http://host:port, e.g. {DefaultListen}");
            }

            await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Urls = url }, cancellationToken);
            await globals.Context.Out.WriteLineAsync($"Mailchimp sandbox listening on {sandbox.BaseAddress}");
            await globals.Context.Out.WriteLineAsync($"  Marketing:     {sandbox.BaseAddress}3.0/");
            await globals.Context.Out.WriteLineAsync($"  Transactional: {sandbox.BaseAddress}api/1.0/");
            await globals.Context.Out.WriteLineAsync($"  Control API:   {sandbox.BaseAddress}_sandbox/ (see src/Keywarden.Sandbox/README.md)");
            await globals.Context.Out.WriteLineAsync("Press Ctrl+C to stop.");
            await sandbox.WaitForShutdownAsync(cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }
}
