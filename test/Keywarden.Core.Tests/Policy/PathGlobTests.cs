using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Keywarden.Core.Policy;

namespace Keywarden.Core.Tests.Policy;

public sealed class PathGlobTests
{
    [Theory]
    [InlineData("/lists/*/members/**", "/lists/a/members", true)]
    [InlineData("/lists/*/members/**", "/lists/a/members/b/notes", true)]
    [InlineData("/lists/*/members/**", "/lists/a/b/members", false)]
    [InlineData("/lists/*/members/**", "/lists/members", false)]
    [InlineData("/lists/**", "/lists", true)]
    [InlineData("/lists/**", "/lists/a/b/c", true)]
    [InlineData("/lists/**", "/listsx", false)]
    [InlineData("/lists/**", "/automations/lists", false)]
    [InlineData("/lists/**", "/", false)]
    [InlineData("/lists/", "/lists", true)]
    [InlineData("/lists", "/lists/a", false)]
    [InlineData("/LISTS/*", "/lists/A", false)]
    [InlineData("/lists/*", "/LISTS/a", false)]
    [InlineData("/lists/abc/**", "/lists/ABC/members", false)]
    [InlineData("/lists/*", "/lists/ABC", true)]
    [InlineData("/lists/{list_id}/members", "/lists/abc/members", true)]
    [InlineData("/lists/{list_id}/members", "/lists/members", false)]
    [InlineData("/lists/a*", "/lists/abc", false)]
    [InlineData("/lists/a*", "/lists/a*", true)]
    [InlineData("/**", "/", true)]
    [InlineData("/**", "/anything/at/all", true)]
    [InlineData("/", "/", true)]
    [InlineData("/", "/lists", false)]
    [InlineData("/*", "/", false)]
    [InlineData("/**/members", "/lists/a/members", true)]
    [InlineData("/**/members", "/members", true)]
    [InlineData("/**/members/**/notes", "/x/members/y/members/notes", true)]
    [InlineData("/**/members/*", "/x/members/y/z", false)]
    [InlineData("lists/**", "/lists/a", true)]
    public void IsMatch_Examples(string glob, string path, bool expected) => Assert.Equal(expected, PathGlob.IsMatch(glob, path));

    [Theory]
    [InlineData("/lists//a")]
    [InlineData("/lists/")]
    [InlineData("lists")]
    [InlineData("")]
    public void IsMatch_NonCanonicalPath_MatchesNothing(string path) => Assert.False(PathGlob.IsMatch("/**", path));

    private static readonly Gen<string> PathSegment = Gen.Elements("lists", "LISTS", "a", "b", "members", "notes", "x1", "*", "{id}");

    private static readonly Gen<string> GlobSegment = Gen.Frequency(
        (4, Gen.Elements("lists", "Lists", "a", "b", "members", "notes", "x1")),
        (2, Gen.Constant("*")),
        (2, Gen.Constant("**")),
        (1, Gen.Constant("{list_id}")));

    [Property(MaxTest = 3000)]
    public Property IsMatch_AgreesWithARegexReference() =>
        Prop.ForAll(
            Arb.From(Upto(10, GlobSegment)),
            Arb.From(Upto(12, PathSegment)),
            (glob, path) =>
            {
                var globText = "/" + string.Join('/', glob);
                var pathText = "/" + string.Join('/', path);
                return PathGlob.IsMatch(globText, pathText) == Reference(glob, path);
            });

    private static Gen<string[]> Upto(int length, Gen<string> segment) =>
        Gen.Choose(0, length).SelectMany(n => Gen.ArrayOf(segment, n));

    /// <summary>The specification as a regex over "/seg/seg", case-sensitive: ** is any number of "/seg", * and {x} one. Inputs stay short: runs of ** backtrack polynomially in the path length.</summary>
    private static bool Reference(string[] glob, string[] path)
    {
        var pattern = string.Concat(glob.Select(s => s switch
        {
            "**" => "(?:/[^/]+)*",
            "*" => "/[^/]+",
            _ when s.StartsWith('{') && s.EndsWith('}') => "/[^/]+",
            _ => "/" + Regex.Escape(s),
        }));
        return Regex.IsMatch(
            string.Concat(path.Select(s => "/" + s)),
            "^" + pattern + "$",
            RegexOptions.CultureInvariant);
    }
}
