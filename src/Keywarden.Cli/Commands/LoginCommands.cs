using System.CommandLine;
using Keywarden.Cli.Remote;

namespace Keywarden.Cli.Commands;

/// <summary><c>keywarden login</c> and <c>keywarden logout</c>: a session with a server's admin API, for remote mode.</summary>
internal static class LoginCommands
{
    public static Command Login(CliGlobals globals)
    {
        var name = new Option<string?>("--name") { Description = "Your operator name (default: asked)" };
        var command = new Command(
            "login",
            "Log in to a server's admin API: name, password and TOTP code (asked without echo, or one a line on stdin); the session is kept in ~/.keywarden/session.json (mode 0600)")
        {
            name,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var context = globals.Context;
            var given = context.RemoteAddress ?? AdminClient.DefaultAddress;
            var address = AdminClient.ParseAddress(given, "--addr");
            var who = result.GetValue(name) ?? await OperatorJoin.AskAsync(context, "Operator name", secret: false, cancellationToken);
            var password = await OperatorJoin.AskAsync(context, "Password", secret: true, cancellationToken);
            var code = await OperatorJoin.AskAsync(context, "The 6-digit code your app shows now", secret: true, cancellationToken);
            using var client = new AdminClient(context, address, token: null);
            var answer = await client.PostAsync("v1/auth/login", new { name = who, password, code }, cancellationToken);
            var token = answer["token"]?.GetValue<string>() ?? throw new CliException($"the admin API at {address} answered the login without a session token");
            SessionFile.Write(context, new RemoteSession(address, token));
            using var session = new AdminClient(context, address, token);
            var role = (await session.GetAsync("v1/auth/session", cancellationToken))["role"]?.GetValue<string>();
            await context.Out.WriteLineAsync($"Logged in to {address} as {who}{(role is null ? "" : $" ({role})")}; the session is in {SessionFile.PathFor(context)}.");
            await context.Out.WriteLineAsync($"Commands go to this server while KEYWARDEN_ADDR is set: export KEYWARDEN_ADDR={address}");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Logout(CliGlobals globals)
    {
        var command = new Command("logout", "End the session of 'keywarden login' on the server and delete the session file");
        command.SetAction(async (result, cancellationToken) =>
        {
            var context = globals.Context;
            if (SessionFile.Read(context) is not { } session)
            {
                await context.Out.WriteLineAsync("Not logged in; nothing to do.");
                return ExitCodes.Ok;
            }

            using (var client = new AdminClient(context, session.Address, session.Token))
            {
                try
                {
                    await client.PostAsync("v1/auth/logout", null, cancellationToken);
                }
                catch (CliException)
                {
                    // An expired or revoked session is as good as logged out; the file goes either way.
                }
            }

            SessionFile.Delete(context);
            await context.Out.WriteLineAsync($"Logged out of {session.Address}.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
