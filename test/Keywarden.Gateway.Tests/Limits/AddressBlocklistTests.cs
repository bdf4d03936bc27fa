using System.Net;
using Keywarden.Gateway.Limits;
using Microsoft.Extensions.Time.Testing;

namespace Keywarden.Gateway.Tests.Limits;

public sealed class AddressBlocklistTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Block_HoldsTheAddressForTheDuration_AndOnlyThatAddress()
    {
        var list = new AddressBlocklist(TimeSpan.FromMinutes(15), 100, _clock);

        var until = list.Block(Ip("203.0.113.7"));
        _clock.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromTicks(1));
        var during = list.IsBlocked(Ip("203.0.113.7"));
        var other = list.IsBlocked(Ip("203.0.113.8"));
        _clock.Advance(TimeSpan.FromTicks(1));

        Assert.Equal(_clock.GetUtcNow(), until);
        Assert.True(during);
        Assert.False(other);
        Assert.False(list.IsBlocked(Ip("203.0.113.7")));
    }

    [Fact]
    public void Block_Again_ExtendsTheBlock_WithoutGrowingTheList()
    {
        var list = new AddressBlocklist(TimeSpan.FromMinutes(10), 100, _clock);

        for (var i = 0; i < 1000; i++)
        {
            list.Block(Ip("2001:db8::1"));
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        _clock.Advance(TimeSpan.FromMinutes(9));
        Assert.True(list.IsBlocked(Ip("2001:db8::1")));
        Assert.Equal(1, list.Count);
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.False(list.IsBlocked(Ip("2001:db8::1")));
    }

    [Fact]
    public void Block_PastTheCapacity_DropsTheOldestBlock()
    {
        var list = new AddressBlocklist(TimeSpan.FromHours(1), 3, _clock);

        foreach (var last in new[] { 1, 2, 3, 4 })
        {
            list.Block(Ip($"198.51.100.{last}"));
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(3, list.Count);
        Assert.False(list.IsBlocked(Ip("198.51.100.1")));
        Assert.All(new[] { 2, 3, 4 }, last => Assert.True(list.IsBlocked(Ip($"198.51.100.{last}"))));
    }

    [Fact]
    public void Block_OfManyAddresses_StaysWithinTheCapacity_AndExpiredBlocksAreDroppedFirst()
    {
        var list = new AddressBlocklist(TimeSpan.FromMinutes(1), 10_000, _clock);

        for (var i = 0; i < 50_000; i++)
        {
            list.Block(new IPAddress(0x0A000000u + (uint)i));
        }

        Assert.Equal(10_000, list.Count);
        _clock.Advance(TimeSpan.FromMinutes(2));
        list.Block(Ip("192.0.2.1"));
        Assert.Equal(1, list.Count);
    }

    [Fact]
    public void WithAZeroDuration_NothingIsBlocked()
    {
        var list = new AddressBlocklist(TimeSpan.Zero, 100, _clock);

        Assert.Null(list.Block(Ip("203.0.113.7")));
        Assert.False(list.Enabled);
        Assert.False(list.IsBlocked(Ip("203.0.113.7")));
    }

    [Fact]
    public void TheUnknownAddress_IsNeverBlocked()
    {
        var list = new AddressBlocklist(TimeSpan.FromMinutes(15), 100, _clock);

        Assert.Null(list.Block(IPAddress.None));
        Assert.Equal(0, list.Count);
    }

    [Fact]
    public void GatewayOptions_DefaultToAFifteenMinuteBlockOfAtMostTenThousandAddresses_AndRefuseANegativeBlock()
    {
        var options = new GatewayOptions();

        Assert.Equal((TimeSpan.FromMinutes(15), 10_000), (options.DecoyBlock, options.DecoyBlockCapacity));
        options.DecoyBlock = TimeSpan.FromSeconds(-1);
        Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
    }

    private static IPAddress Ip(string text) => IPAddress.Parse(text);
}
