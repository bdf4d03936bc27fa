using System.Text;

namespace Keywarden.Cli.Tests.Snapshots;

/// <summary>
/// Runs the CLI through a <see cref="CliFixture"/> and writes down what a person at a shell would see, one block per
/// command: <c>$ keywarden ARGS</c>, its standard output, its standard error, and its exit code.
/// </summary>
internal sealed class CliTranscript(CliFixture cli)
{
    private readonly StringBuilder _text = new();

    /// <summary>Everything recorded so far, not scrubbed (check it for secrets; snapshot it through a scrubber).</summary>
    public string Text => _text.ToString();

    public async Task<CliRun> RunAsync(params string[] args) => Record(await cli.RunAsync(args), args, null);

    /// <summary>Runs with <paramref name="stdin"/> piped in, shown as <c>&lt; <paramref name="stdinName"/></c> (never the secret).</summary>
    public async Task<CliRun> PipeAsync(string stdin, string stdinName, params string[] args) =>
        Record(await cli.PipeAsync(stdin, args), args, stdinName);

    /// <summary>A line saying what happened between commands, outside the CLI (e.g. the old key revoked in Mailchimp).</summary>
    public void Note(string text) => _text.Append("# ").Append(text).Append("\n\n");

    private CliRun Record(CliRun run, string[] args, string? stdinName)
    {
        _text.Append("$ keywarden");
        foreach (var arg in args)
        {
            _text.Append(' ').Append(Quoted(arg));
        }

        _text.Append(stdinName is null ? "" : " < " + stdinName).Append('\n');
        Section("stdout", run.Out);
        Section("stderr", run.Error);
        _text.Append($"[exit {run.ExitCode}]\n\n");
        return run;
    }

    private void Section(string name, string output)
    {
        if (output.Length > 0)
        {
            _text.Append($"--- {name}\n").Append(output.ReplaceLineEndings("\n").TrimEnd('\n')).Append('\n');
        }
    }

    private static string Quoted(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=@%+,#".Contains(c, StringComparison.Ordinal))
            ? arg
            : "'" + arg.Replace("'", @"'\''", StringComparison.Ordinal) + "'";
}
