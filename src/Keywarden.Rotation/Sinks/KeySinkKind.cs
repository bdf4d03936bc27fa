namespace Keywarden.Rotation.Sinks;

/// <summary>What a sink writes the new key to.</summary>
public enum KeySinkKind
{
    /// <summary>A variable in a dotenv file: <c>env:PATH#VAR</c>.</summary>
    EnvFile,

    /// <summary>A string property in a JSON file: <c>json:PATH#a.b.c</c>.</summary>
    JsonFile,

    /// <summary>A scalar in a YAML file's block mappings: <c>yaml:PATH#a.b.c</c>.</summary>
    YamlFile,

    /// <summary>A program that reads the key on stdin: <c>exec:COMMAND [ARGS...]</c>.</summary>
    Command,
}
