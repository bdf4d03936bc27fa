using System.CommandLine;
using Keywarden.Cli.Infrastructure;

namespace Keywarden.Cli.Commands;

/// <summary><c>keywarden sink add|list|remove</c>: where a rotated key is delivered for applications that cannot use the gateway.</summary>
internal static class SinkCommands
{
    public static Command Create(CliGlobals globals)
    {
        var command = new Command("sink", "Places that receive a new key during rotation (a .env/JSON/YAML file, a command)");
        command.Subcommands.Add(Add(globals));
        command.Subcommands.Add(List(globals));
        command.Subcommands.Add(Remove(globals));
        return command;
    }

    private static Command Add(CliGlobals globals)
    {
        var upstream = new Argument<string>("upstream") { Description = "The upstream whose key the sink receives" };
        var spec = new Argument<string>("spec") { Description = "env:PATH#VAR, json:PATH#a.b, yaml:PATH#a.b or exec:COMMAND ARGS..." };
        var json = CliGlobals.JsonOption();
        var command = new Command("add", "Deliver this upstream's new key here before the old one is revoked") { upstream, spec, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var session = await RotateCommands.OpenAsync(globals, result, cancellationToken);
            var sink = await session.Service.AddSinkAsync(result.GetValue(upstream)!, result.GetValue(spec)!, cancellationToken);
            if (result.GetValue(json))
            {
                JsonOutput.Write(globals.Context, new { id = sink.Id, upstream = result.GetValue(upstream), spec = sink.Spec, created_at = sink.CreatedAt });
            }
            else
            {
                await globals.Context.Out.WriteLineAsync($"Added sink {sink.Id} to '{result.GetValue(upstream)}': {sink.Spec}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CliGlobals globals)
    {
        var upstream = new Argument<string?>("upstream") { Description = "Only this upstream's sinks", Arity = ArgumentArity.ZeroOrOne };
        var json = CliGlobals.JsonOption();
        var command = new Command("list", "List sinks") { upstream, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var session = await RotateCommands.OpenAsync(globals, result, cancellationToken);
            var sinks = await session.Service.ListSinksAsync(result.GetValue(upstream), cancellationToken);
            if (result.GetValue(json))
            {
                JsonOutput.Write(globals.Context, new { sinks = sinks.Select(s => new { id = s.Sink.Id, upstream = s.Upstream, spec = s.Sink.Spec, created_at = s.Sink.CreatedAt }) });
                return ExitCodes.Ok;
            }

            if (sinks.Count == 0)
            {
                await globals.Context.Out.WriteLineAsync("No sinks: keywarden sink add UPSTREAM env:/srv/app/.env#MAILCHIMP_API_KEY");
                return ExitCodes.Ok;
            }

            var table = new CliTable().Column("ID").Column("UPSTREAM").Prose("SPEC").Column("ADDED");
            foreach (var (sink, name) in sinks)
            {
                table.Row(sink.Id, name, sink.Spec, sink.CreatedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture));
            }

            table.Write(globals.Context.Console);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Remove(CliGlobals globals)
    {
        var id = new Argument<string>("id") { Description = "The sink's id (see 'keywarden sink list')" };
        var json = CliGlobals.JsonOption();
        var command = new Command("remove", "Stop delivering rotated keys to a sink") { id, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            await using var session = await RotateCommands.OpenAsync(globals, result, cancellationToken);
            if (!await session.Service.RemoveSinkAsync(result.GetValue(id)!, cancellationToken))
            {
                throw new CliException($"no sink with id '{result.GetValue(id)}' (see 'keywarden sink list')");
            }

            if (result.GetValue(json))
            {
                JsonOutput.Write(globals.Context, new { id = result.GetValue(id), removed = true });
            }
            else
            {
                await globals.Context.Out.WriteLineAsync($"Removed sink {result.GetValue(id)}.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
