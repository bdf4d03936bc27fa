using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keywarden.AdminApi.Documents;
using Keywarden.AdminApi.Endpoints.Requests;
using Keywarden.Application;
using Keywarden.Cli.Infrastructure;
using Keywarden.Cli.Remote;
using QRCoder;
using Spectre.Console;

namespace Keywarden.Cli.Commands;

/// <summary>
/// <c>keywarden operator join</c>: redeems an invitation (or <c>init</c>'s setup code) with a new password, then enrols TOTP:
/// the <c>otpauth://</c> URI and a QR code to scan, confirmed by a first code; prints the 10 recovery codes once.
/// On a terminal it asks for each answer without echo; from stdin (scripts) it reads one answer a line in the same order:
/// the code, the password, then, after the TOTP secret is printed, a first TOTP code.
/// </summary>
internal static class OperatorJoin
{
    public static Command Create(CliGlobals globals)
    {
        var noQr = new Option<bool>("--no-qr") { Description = "Do not draw the QR code (the otpauth:// URI and the secret are printed either way)" };
        var json = CliGlobals.JsonOption();
        var command = new Command("join", "Join with the one-time code from 'operator add' or 'init': choose a password, enrol an authenticator app (TOTP)") { noQr, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var context = globals.Context;
            var code = await AskAsync(context, "Invitation or setup code (kwi_…)", secret: true, cancellationToken);
            var password = await AskAsync(context, "New password (at least 12 characters)", secret: true, cancellationToken);
            if (!context.InputRedirected && await AskAsync(context, "The password again", secret: true, cancellationToken) != password)
            {
                throw new CliException("the two passwords differ; nothing was changed");
            }

            // Remote mode: the server redeems and enrols (no login: the code is the credential); else the vault here does.
            using var remote = AdminClient.Anonymous(context);
            await using var vault = remote is null ? await globals.Vaults(result).OpenAsync(cancellationToken) : null;
            var operators = vault is null ? null : OperatorCommands.Service(vault, context);
            JsonObject begun;
            if (remote is not null)
            {
                begun = await remote.PostAsync("v1/auth/join", new JoinRequest(code, password), cancellationToken);
            }
            else
            {
                var redeemed = await operators!.RedeemInvitationAsync(code, password, AdminActor.Local, cancellationToken);
                begun = Node(OperatorDocuments.Joined(redeemed, await operators.BeginEnrolmentAsync(redeemed.Name, password, AdminActor.Local, cancellationToken)));
            }

            var joined = begun["operator"]!;
            var name = joined["name"]!.GetValue<string>();

            // Progress and the TOTP secret go to stderr in --json mode: stdout stays one JSON document.
            var show = result.GetValue(json) ? context.Error : context.Out;
            await show.WriteLineAsync($"Welcome, {name} ({joined["role"]?.GetValue<string>()}). Add Keywarden to your authenticator app:");
            var uri = begun["totp"]!["uri"]!.GetValue<string>();
            if (!result.GetValue(noQr))
            {
                await show.WriteAsync(QrCode(uri));
            }

            await show.WriteLineAsync($"  URI:    {uri}");
            await show.WriteLineAsync($"  secret: {begun["totp"]!["secret"]!.GetValue<string>()}");
            await show.FlushAsync(cancellationToken);
            var first = await AskAsync(context, "The 6-digit code your app shows now", secret: false, cancellationToken);
            JsonObject enrolled;
            if (remote is not null)
            {
                enrolled = await remote.PostAsync("v1/auth/join/confirm", new ConfirmJoinRequest(name, password, first), cancellationToken);
                enrolled.Remove("version");
            }
            else
            {
                var codes = await operators!.CompleteEnrolmentAsync(name, password, first, AdminActor.Local, cancellationToken);
                var view = (await operators.ListAsync(cancellationToken)).First(o => string.Equals(o.Name, name, StringComparison.Ordinal));
                enrolled = Node(OperatorDocuments.Enrolled(view, codes));
            }

            if (result.GetValue(json))
            {
                JsonOutput.Write(context, enrolled);
                return ExitCodes.Ok;
            }

            var recoveryCodes = enrolled["recovery_codes"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
            await context.Out.WriteLineAsync($"TOTP enrolled. Recovery codes (shown once; each stands in for a TOTP code once; keep them offline):");
            foreach (var recovery in recoveryCodes)
            {
                await context.Out.WriteLineAsync($"  {recovery}");
            }

            await context.Out.WriteLineAsync("Log in to a server: keywarden login");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static JsonObject Node(object document) => JsonSerializer.SerializeToNode(document, JsonOutput.Options)!.AsObject();

    /// <summary>One answer: a line of stdin when it is redirected, else a prompt on the terminal (hidden for a secret).</summary>
    internal static async Task<string> AskAsync(CliContext context, string question, bool secret, CancellationToken cancellationToken)
    {
        string? answer;
        if (context.InputRedirected)
        {
            answer = await context.In.ReadLineAsync(cancellationToken);
            if (answer is null)
            {
                throw new CliException($"stdin ended before '{question}': give one answer a line (code, password, then the TOTP code)");
            }
        }
        else
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(context.Error) });
            var prompt = new TextPrompt<string>($"{question}:");
            answer = await console.PromptAsync(secret ? prompt.Secret(null) : prompt, cancellationToken);
        }

        answer = answer.Trim();
        return answer.Length > 0 ? answer : throw new CliException($"no answer to '{question}'");
    }

    /// <summary>The URI as a QR code drawn with half-block characters, two rows a line, with its quiet zone.</summary>
    private static string QrCode(string uri)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        using var ascii = new AsciiQRCode(data);
        return ascii.GetGraphicSmall(drawQuietZones: true, invert: false, endOfLine: "\n") + "\n";
    }
}
