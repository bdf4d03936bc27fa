using Keywarden.Cli;

return await CliApp.RunAsync(args, CliContext.FromProcess());
