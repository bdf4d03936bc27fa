using System.CommandLine;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Keywarden.Cli.Commands;
using Keywarden.Cli.Infrastructure;
using Keywarden.Cli.Remote;

namespace Keywarden.Cli.Run;

/// <summary>
/// <c>keywarden run (--upstream NAME | --token NAME|ID) [--ttl 1h] [--gateway URL] -- CMD [ARGS…]</c>: runs CMD with a
/// token issued for this run in its environment, revoked when CMD exits. The token is never in an argument nor printed.
/// </summary>
internal static class RunCommand
{
    /// <summary>The command's name: <see cref="CliApp"/> leaves its signals to it (<see cref="SignalForwarder"/>).</summary>
    public const string Name = "run";

    /// <summary>Where the gateway is when neither <c>--gateway</c> nor <c>KEYWARDEN_GATEWAY_URL</c> says.</summary>
    public const string DefaultGateway = ServeCommand.DefaultListen;

    private static readonly TimeSpan MinTtl = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaxTtl = TimeSpan.FromHours(24);
    private static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(10);

    public static Command Create(CliGlobals globals)
    {
        var upstream = new Option<string?>("--upstream") { Description = "Issue the run's token on this upstream: its whole API, read-write" };
        var template = new Option<string?>("--token")
        {
            Description = "Issue the run's token after this active token (its id, tok_…, or name): the same upstream and policy, expiring with the run",
        };
        var ttl = new Option<string>("--ttl")
        {
            Description = "How long the token lives at most if it is not revoked when CMD exits (keywarden killed): 30m, 1h… up to 24h",
            DefaultValueFactory = _ => "1h",
        };
        var gateway = new Option<string?>("--gateway") { Description = $"The gateway's address (default: $KEYWARDEN_GATEWAY_URL, else {DefaultGateway})" };
        var wait = new Option<string>("--wait")
        {
            Description = "How long to wait for the gateway to take the new token before giving up",
            DefaultValueFactory = _ => "15s",
        };
        var command = new Argument<string[]>("command") { Description = "The command and its arguments, after --; run without a shell", Arity = ArgumentArity.OneOrMore };
        var run = new Command(
            Name,
            "Run a command with a short-lived gateway token in its environment (MAILCHIMP_API_KEY or MANDRILL_API_KEY, the base URL, the "
            + "server prefix), revoked when it exits; its exit code is keywarden's")
        {
            upstream, template, ttl, gateway, wait, command,
        };
        run.SetAction(async (result, cancellationToken) =>
        {
            var context = globals.Context;
            if ((result.GetValue(upstream) is null) == (result.GetValue(template) is null))
            {
                throw new CliException("name where the token comes from: --upstream NAME or --token NAME|ID (one of them)");
            }

            var life = TimeSpec.ParseDuration(result.GetValue(ttl)!, "--ttl", MinTtl, MaxTtl);
            var patience = TimeSpec.ParseDuration(result.GetValue(wait)!, "--wait", TimeSpan.FromMilliseconds(1), MaxWait);
            var address = GatewayAddress(result.GetValue(gateway) ?? context.GetEnvironment(RunEnvironment.GatewayUrl) ?? DefaultGateway);
            var arguments = result.GetValue(command)!;
            var (program, missing, problem) = CommandLookup.Find(arguments[0], context.GetEnvironment("PATH"), Environment.CurrentDirectory);
            if (program is null)
            {
                await context.Error.WriteLineAsync($"error: {problem}");
                return missing;
            }

            var request = new RunTokenRequest(result.GetValue(upstream), result.GetValue(template), life, Path.GetFileName(arguments[0]));
            using var remote = AdminClient.ForCommand(context);
            IRunTokens tokens = remote is null ? new LocalRunTokens(globals.Vaults(result), context.Time) : new RemoteRunTokens(remote, context.Time);
            return await RunAsync(context, tokens, request, address, patience, program, arguments, cancellationToken);
        });
        return run;
    }

    private static async Task<int> RunAsync(
        CliContext context, IRunTokens tokens, RunTokenRequest request, Uri gateway, TimeSpan wait, string program, string[] arguments, CancellationToken cancellationToken)
    {
        using var signals = new SignalForwarder();
        var token = await tokens.IssueAsync(request, cancellationToken);
        await context.Error.WriteLineAsync(
            $"keywarden run: token {token.Id} ('{token.Name}') on upstream '{token.UpstreamName}', until "
            + $"{token.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)}; revoked when {request.Command} exits");
        try
        {
            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, signals.Interrupted);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            try
            {
                await new GatewayReadiness(http, context.Time).WaitAsync(gateway, token, wait, stopping.Token);
            }
            catch (OperationCanceledException) when (signals.InterruptedExitCode is { } interrupted)
            {
                return interrupted;
            }

            var start = new ProcessStartInfo(program) { UseShellExecute = false };
            foreach (var argument in arguments.Skip(1))
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment.Clear();
            foreach (var (name, value) in RunEnvironment.Build(context.Environment, token, gateway))
            {
                start.Environment[name] = value;
            }

            using var child = Start(signals, start, arguments[0], out var failure);
            if (child is null)
            {
                if (failure is not { } why)
                {
                    return signals.InterruptedExitCode!.Value;
                }

                await context.Error.WriteLineAsync($"error: {why.Problem}");
                return why.ExitCode;
            }

            // Not cancellable: a signal goes to the command, and keywarden waits for it to end before revoking.
            await child.WaitForExitAsync(CancellationToken.None);
            return child.ExitCode;
        }
        finally
        {
            await RevokeAsync(context, tokens, token);
        }
    }

    /// <summary>Starts the command (null when a signal stopped the run first, or with why it cannot start: no such program…).</summary>
    private static Process? Start(SignalForwarder signals, ProcessStartInfo start, string command, out (int ExitCode, string Problem)? failure)
    {
        failure = null;
        try
        {
            return signals.Start(start);
        }
        catch (Win32Exception e)
        {
            // Gone or changed since it was found: what a shell would say.
            failure = e.NativeErrorCode == 2
                ? (CommandLookup.NotFound, $"command not found: {command}")
                : (CommandLookup.NotExecutable, $"cannot run {command}: {e.Message}");
            return null;
        }
    }

    /// <summary>Revokes the run's token whatever happened; when that fails, says how to do it by hand (the token expires anyway).</summary>
    private static async Task RevokeAsync(CliContext context, IRunTokens tokens, RunToken token)
    {
        try
        {
            await tokens.RevokeAsync(token.Id, CancellationToken.None);
            await context.Error.WriteLineAsync($"keywarden run: revoked {token.Id}");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await context.Error.WriteLineAsync(
                $"warning: could not revoke {token.Id} ({e.Message}); revoke it with 'keywarden token revoke {token.Id}' (it expires at "
                + $"{token.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)} anyway)");
        }
    }

    /// <summary>An http(s) address, as the root the API paths go under (ending in <c>/</c>).</summary>
    private static Uri GatewayAddress(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new CliException($"invalid --gateway '{text}': expected the gateway's address, e.g. {DefaultGateway}");
        }

        return uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri + "/");
    }
}
