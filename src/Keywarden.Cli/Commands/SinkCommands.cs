using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Keywarden.AdminApi.Documents;
using Keywarden.AdminApi.Endpoints.Requests;
using Keywarden.Cli.Infrastructure;
using Keywarden.Cli.Remote;

namespace Keywarden.Cli.Commands;

/// <summary>
/// <c>keywarden sink add|list|remove</c>: where a rotated key is delivered for applications that cannot use the gateway.
/// In remote mode through the admin API, with the same output; a sink's path is then a path on the server.
/// </summary>
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
            var name = result.GetValue(upstream)!;
            JsonObject sink;
            if (AdminClient.ForCommand(globals.Context) is { } remote)
            {
                using (remote)
                {
                    sink = await remote.PostAsync("v1/sinks", new AddSinkRequest(name, result.GetValue(spec)!), cancellationToken);
                }
            }
            else
            {
                await using var session = await RotateCommands.OpenAsync(globals, result, cancellationToken);
                sink = DocumentNodes.Of(SinkDocuments.Sink(await session.Service.AddSinkAsync(name, result.GetValue(spec)!, cancellationToken), name));
            }

            if (result.GetValue(json))
            {
                JsonOutput.Write(globals.Context, sink);
            }
            else
            {
                await globals.Context.Out.WriteLineAsync($"Added sink {DocumentNodes.Text(sink, "id")} to '{name}': {DocumentNodes.Text(sink, "spec")}");
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
            var name = result.GetValue(upstream);
            JsonObject document;
            if (AdminClient.ForCommand(globals.Context) is { } remote)
            {
                using (remote)
                {
                    document = await remote.GetAsync(name is null ? "v1/sinks" : $"v1/sinks?upstream={DocumentNodes.Segment(name)}", cancellationToken);
                }
            }
            else
            {
                await using var session = await RotateCommands.OpenAsync(globals, result, cancellationToken);
                document = DocumentNodes.Of(SinkDocuments.List(await session.Service.ListSinksAsync(name, cancellationToken)));
            }

            if (result.GetValue(json))
            {
                JsonOutput.Write(globals.Context, document);
                return ExitCodes.Ok;
            }

            var sinks = DocumentNodes.Items(document, "sinks");
            if (sinks.Count == 0)
            {
                await globals.Context.Out.WriteLineAsync("No sinks: keywarden sink add UPSTREAM env:/srv/app/.env#MAILCHIMP_API_KEY");
                return ExitCodes.Ok;
            }

            var table = new CliTable().Column("ID").Column("UPSTREAM").Prose("SPEC").Column("ADDED");
            foreach (var sink in sinks)
            {
                table.Row(
                    DocumentNodes.Text(sink, "id") ?? "",
                    DocumentNodes.Text(sink, "upstream") ?? "",
                    DocumentNodes.Text(sink, "spec") ?? "",
                    DocumentNodes.Instant(sink, "created_at")?.ToString("u", CultureInfo.InvariantCulture) ?? "");
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
            var sinkId = result.GetValue(id)!;
            JsonObject removed;
            if (AdminClient.ForCommand(globals.Context) is { } remote)
            {
                using (remote)
                {
                    try
                    {
                        removed = await remote.DeleteAsync($"v1/sinks/{DocumentNodes.Segment(sinkId)}", cancellationToken);
                    }
                    catch (CliException e) when (e.ProblemCode == "sink_not_found")
                    {
                        throw NoSuch(sinkId);
                    }
                }
            }
            else
            {
                await using var session = await RotateCommands.OpenAsync(globals, result, cancellationToken);
                if (!await session.Service.RemoveSinkAsync(sinkId, cancellationToken))
                {
                    throw NoSuch(sinkId);
                }

                removed = DocumentNodes.Of(SinkDocuments.Removed(sinkId));
            }

            if (result.GetValue(json))
            {
                JsonOutput.Write(globals.Context, removed);
            }
            else
            {
                await globals.Context.Out.WriteLineAsync($"Removed sink {sinkId}.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static CliException NoSuch(string id) => new($"no sink with id '{id}' (see 'keywarden sink list')");
}
