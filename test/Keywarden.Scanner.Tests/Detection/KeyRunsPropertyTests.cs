using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Keywarden.Scanner.Detection;

namespace Keywarden.Scanner.Tests.Detection;

public sealed class KeyRunsPropertyTests
{
    private const int RunLength = 22;
    private const string KeyChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

    /// <summary>Mostly key characters (so long runs happen), with the near ones around them: '@', '[', '`', '{', '/', ':', non-ASCII.</summary>
    private static readonly Gen<string> Text =
        Gen.Choose(0, 300).SelectMany(length => Gen.ArrayOf(
                Gen.Frequency(
                    (30, Gen.Elements("aZ09_-mQx7".ToCharArray())),
                    (1, Gen.Elements('@', '[', '`', '{', '/', ':', ' ', '\n', 'é', 'Ａ', '\u0141', '\u2010')),
                    (1, Gen.Elements(' ', '.'))),
                length)
            .Select(chars => new string(chars)));

    [Property(MaxTest = 500)]
    public Property IndexOfLongRun_AgreesWithCountingOneCharacterAtATime() =>
        Prop.ForAll(Arb.From(Text.Zip(Gen.Choose(0, 300).Zip(Gen.Choose(0, 300)))), input =>
        {
            var (text, (a, b)) = input;
            var from = Math.Min(a, text.Length);
            var limit = Math.Min(b, text.Length);
            return KeyRuns.IndexOfLongRun(text, from, limit, RunLength) == Reference(text, from, limit);
        });

    [Fact]
    public void IndexOfLongRun_RunAcrossTheVectorSteps_IsFoundAtItsStart()
    {
        for (var start = 0; start < 100; start++)
        {
            var text = new string('.', start) + new string('k', RunLength) + new string('.', 100);
            Assert.Equal(start, KeyRuns.IndexOfLongRun(text, 0, text.Length, RunLength));
            Assert.Equal(-1, KeyRuns.IndexOfLongRun(text.Remove(start + 5, 1).Insert(start + 5, "é"), 0, text.Length, RunLength));
        }
    }

    /// <summary>The first index in [from, limit) where 22 key characters in a row start, looking only from <paramref name="from"/> on.</summary>
    private static int Reference(string text, int from, int limit)
    {
        for (var i = from; i < limit && i + RunLength <= text.Length; i++)
        {
            if (text.Substring(i, RunLength).All(c => KeyChars.Contains(c, StringComparison.Ordinal)))
            {
                return i;
            }
        }

        return -1;
    }
}
