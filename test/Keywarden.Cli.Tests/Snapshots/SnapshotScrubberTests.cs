namespace Keywarden.Cli.Tests.Snapshots;

public sealed class SnapshotScrubberTests
{
    [Fact]
    public void Ids_AreNumberedByFirstAppearance_PerKind_AndTheSameIdIsTheSamePlaceholder()
    {
        var scrubbed = new SnapshotScrubber().Scrub(
            "tok_7gq2m0x4k9c1 succeeds tok_000000000001\nrot_abcdefghjkmn; tok_7gq2m0x4k9c1 again; sink_zzzzzzzzzzzz up_0123456789ab key_0123456789abcdef");

        Assert.Equal("tok_1 succeeds tok_2\nrot_1; tok_1 again; sink_1 up_1 key_1", scrubbed);
    }

    [Fact]
    public void TheNumberingHoldsAcrossCalls_OnOneScrubber()
    {
        var scrubber = new SnapshotScrubber();
        const string Token = "kw_abcdefghijklmnopqrstuvwxyzABCDEFGHIJ";

        var first = scrubber.Scrub("kw_0123456789abcdefghijklmnopqrstuvwxyz " + Token);
        var second = scrubber.Scrub(Token);

        Assert.Equal("kw_TOKEN1 kw_TOKEN2", first);
        Assert.Equal("kw_TOKEN2", second);
    }

    [Theory]
    [InlineData("at 2026-03-04T05:06:07.891Z.", "at <time>.")]
    [InlineData("since 2026-03-04 05:06:07Z", "since <time>")]
    [InlineData("name it keywarden-news-2026-12-03 in Mailchimp", "name it keywarden-news-<date> in Mailchimp")]
    [InlineData("key e562… verified", "key xxxx… verified")]
    [InlineData("--base-url http://127.0.0.1:45123/ and localhost:8080", "--base-url http://127.0.0.1:<port>/ and localhost:<port>")]
    [InlineData("head 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 ok", "head <hash> ok")]
    [InlineData("account 0123456789abcdef012345678 and 0123456789abcdef012345679, 0123456789abcdef012345678", "account <account1> and <account2>, <account1>")]
    [InlineData("took 12.7 ms", "took <ms>")]
    [InlineData("master key (id c5f8b5a574f00b80, new); again c5f8b5a574f00b80", "master key (id <hex-id1>, new); again <hex-id1>")]
    [InlineData("tok_short kw_tooshort 12345… 2026-13 deadbeef 1.5s", "tok_short kw_tooshort 12345… 2026-13 deadbeef 1.5s")]
    public void StableValues_AreLeftAlone_AndVaryingOnes_Replaced(string input, string expected)
    {
        Assert.Equal(expected, new SnapshotScrubber().Scrub(input));
    }

    [Fact]
    public void TheDataDirectory_IsScrubbedBeforeTheTempRootItLiesIn()
    {
        var scrubber = new SnapshotScrubber().Path("/tmp/", "<tmp>").Path("/tmp/kw-cli-test-x1y2", "<data>");

        var scrubbed = scrubber.Scrub("env:/tmp/kw-cli-test-x1y2/app.env#KEY and /tmp/kw-scan-9/leak.py; /tmp/kw-cli-test-x1y2z stays a sibling");

        Assert.Equal("env:<data>/app.env#KEY and <tmp>/kw-scan-9/leak.py; <tmp>/kw-cli-test-x1y2z stays a sibling", scrubbed);
    }

    [Fact]
    public void AWord_IsReplacedOnlyWhole()
    {
        var scrubbed = new SnapshotScrubber().Word("ann", "<user>").Scrub("ann added news; annotation by joanne, ann-marie");

        Assert.Equal("<user> added news; annotation by joanne, ann-marie", scrubbed);
    }

    [Fact]
    public void OutsideATable_TheSpacingAfterAReplacementIsKept()
    {
        var scrubber = new SnapshotScrubber().Path("/tmp/kw-scan-abc123", "<scan>");

        var scrubbed = scrubber.Scrub("/tmp/kw-scan-abc123/app/settings.py:2:18  mailchimp-marketing-key  e562…(37)");

        Assert.Equal("<scan>/app/settings.py:2:18  mailchimp-marketing-key  xxxx…(37)", scrubbed);
    }

    [Fact]
    public void TableColumns_StayAligned_WhenPlaceholdersAreShorterOrLonger()
    {
        var table = string.Join('\n',
            "ID                NAME    EXPIRES               URL",
            "tok_7gq2m0x4k9c1  signup  2026-01-02 03:04:05Z  http://127.0.0.1:5/",
            "tok_000000000001  worker  never                 -",
            "[exit 0]",
            "tok_7gq2m0x4k9c1  after the table: spacing kept");

        var scrubbed = new SnapshotScrubber().Scrub(table);

        Assert.Equal(
            string.Join('\n',
                "ID                NAME    EXPIRES               URL",
                "tok_1             signup  <time>                http://127.0.0.1:<port>/",
                "tok_2             worker  never                 -",
                "[exit 0]",
                "tok_1  after the table: spacing kept"),
            scrubbed);
    }
}
