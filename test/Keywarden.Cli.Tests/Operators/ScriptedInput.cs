namespace Keywarden.Cli.Tests.Operators;

/// <summary>Stdin whose lines are made when they are read: a later answer may depend on what the command printed before.</summary>
internal sealed class ScriptedInput(params Func<string>[] lines) : TextReader
{
    private int _next;

    public override string? ReadLine() => _next < lines.Length ? lines[_next++]() : null;

    public override string ReadToEnd()
    {
        var rest = new List<string>();
        while (ReadLine() is { } line)
        {
            rest.Add(line);
        }

        return string.Join('\n', rest);
    }
}
