using System.CommandLine;
using Keywarden.AdminApi.Documents;
using Keywarden.Application;
using Keywarden.Cli.Infrastructure;
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

            await using var vault = await globals.Vaults(result).OpenAsync(cancellationToken);
            var operators = OperatorCommands.Service(vault, context);
            var joined = await operators.RedeemInvitationAsync(code, password, AdminActor.Local, cancellationToken);
            var enrolment = await operators.BeginEnrolmentAsync(joined.Name, password, AdminActor.Local, cancellationToken);

            // Progress and the TOTP secret go to stderr in --json mode: stdout stays one JSON document.
            var show = result.GetValue(json) ? context.Error : context.Out;
            await show.WriteLineAsync($"Welcome, {joined.Name} ({OperatorService.Word(joined.Role)}). Add Keywarden to your authenticator app:");
            if (!result.GetValue(noQr))
            {
                await show.WriteAsync(QrCode(enrolment.Uri));
            }

            await show.WriteLineAsync($"  URI:    {enrolment.Uri}");
            await show.WriteLineAsync($"  secret: {enrolment.Secret}");
            await show.FlushAsync(cancellationToken);
            var first = await AskAsync(context, "The 6-digit code your app shows now", secret: false, cancellationToken);
            var recoveryCodes = await operators.CompleteEnrolmentAsync(joined.Name, password, first, AdminActor.Local, cancellationToken);
            if (result.GetValue(json))
            {
                JsonOutput.Write(context, new { @operator = OperatorDocuments.Operator(joined with { Enrolled = true, RecoveryCodesLeft = recoveryCodes.Count }), recovery_codes = recoveryCodes });
                return ExitCodes.Ok;
            }

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
