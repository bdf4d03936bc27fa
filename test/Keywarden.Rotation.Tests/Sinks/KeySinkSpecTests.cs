using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Keywarden.Rotation.Sinks;

namespace Keywarden.Rotation.Tests.Sinks;

public sealed class KeySinkSpecTests
{
    [Fact]
    public void Parse_EnvSpec_GivesFileAndVariable()
    {
        var spec = KeySinkSpec.Parse("env:/srv/app/.env#MAILCHIMP_API_KEY");

        Assert.Equal(KeySinkKind.EnvFile, spec.Kind);
        Assert.Equal("/srv/app/.env", spec.FilePath);
        Assert.Equal("MAILCHIMP_API_KEY", spec.Target);
        Assert.Empty(spec.Command);
    }

    [Theory]
    [InlineData("json:/srv/app/config.json#mailchimp.api_key", KeySinkKind.JsonFile)]
    [InlineData("yaml:/srv/app/config.yaml#mailchimp.api_key", KeySinkKind.YamlFile)]
    public void Parse_StructuredSpec_SplitsTheDottedPath(string text, KeySinkKind kind)
    {
        var spec = KeySinkSpec.Parse(text);

        Assert.Equal(kind, spec.Kind);
        Assert.Equal(["mailchimp", "api_key"], spec.TargetPath);
    }

    [Fact]
    public void Parse_FilePathWithHash_SplitsAtTheLastHash()
    {
        var spec = KeySinkSpec.Parse("json:/srv/app #2/config.json#a.b");

        Assert.Equal("/srv/app #2/config.json", spec.FilePath);
        Assert.Equal("a.b", spec.Target);
    }

    [Fact]
    public void Parse_ExecSpec_SplitsWordsWithoutAShell()
    {
        var spec = KeySinkSpec.Parse("""exec:/bin/sh -c 'cat > "$0"' "/tmp/a b" it\'s""");

        Assert.Equal(KeySinkKind.Command, spec.Kind);
        Assert.Equal(["/bin/sh", "-c", "cat > \"$0\"", "/tmp/a b", "it's"], spec.Command);
        Assert.Null(spec.FilePath);
    }

    [Theory]
    [InlineData("", "unknown sink spec")]
    [InlineData("ftp:/x#Y", "unknown sink spec")]
    [InlineData("env:.env#KEY", "must be an absolute path")]
    [InlineData("env:#KEY", "must be an absolute path")]
    [InlineData("env:/srv/.env", "names no variable")]
    [InlineData("env:/srv/.env#1KEY", "invalid variable")]
    [InlineData("env:/srv/.env#MY-KEY", "invalid variable")]
    [InlineData("json:/srv/a.json#", "invalid path")]
    [InlineData("json:/srv/a.json#a..b", "invalid path")]
    [InlineData("yaml:/srv/a.yaml#.a", "invalid path")]
    [InlineData("json:/srv/a.json", "names no path")]
    [InlineData("exec:", "names no program")]
    [InlineData("exec:  ", "names no program")]
    [InlineData("exec:/bin/x 'open", "unclosed ' quote")]
    [InlineData("exec:/bin/x \"open", "unclosed \" quote")]
    [InlineData("exec:/bin/x \\", "lone backslash")]
    [InlineData("env:/srv/.env\n#KEY", "one line")]
    public void Parse_InvalidSpec_ThrowsOneClearLine(string text, string expected)
    {
        var error = Assert.Throws<SinkException>(() => KeySinkSpec.Parse(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("env:/srv/app/.env#KEY")]
    [InlineData("json:/srv/app/c.json#a.b.c")]
    [InlineData("yaml:/srv/app/c.yaml#a")]
    [InlineData("exec:/usr/local/bin/reload --app billing")]
    [InlineData("exec:/bin/sh -c \"cat > \\\"$0\\\"\" \"\"")]
    public void ToString_CanonicalSpec_IsReturnedUnchanged(string text) =>
        Assert.Equal(text, KeySinkSpec.Parse(text).ToString());

    [Property(MaxTest = 500)]
    public Property ToString_AnyCommand_ParsesBackToTheSameWords() =>
        Prop.ForAll(
            Arb.From(Gen.NonEmptyListOf(Gen.Elements("a", "b c", "'", "\"", "\\", " ", "$x", "é", "\t", "#", "=").ListOf().Select(string.Concat))
                .Where(words => words[0].Length > 0 && words[0].Trim().Length > 0)),
            words =>
            {
                var spec = KeySinkSpec.Parse("exec:" + string.Join(' ', words.Select(Quote)));
                return spec.Command.SequenceEqual(words) && KeySinkSpec.Parse(spec.ToString()).Command.SequenceEqual(words);
            });

    // Quoting as a person would: double quotes, with \" and \\ escaped.
    private static string Quote(string word) => "\"" + word.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
