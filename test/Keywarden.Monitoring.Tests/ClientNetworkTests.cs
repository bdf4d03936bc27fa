using Keywarden.Monitoring.Baselines;

namespace Keywarden.Monitoring.Tests;

public sealed class ClientNetworkTests
{
    [Theory]
    [InlineData("203.0.113.10", "203.0.113.250")]
    [InlineData("203.0.113.10", "::ffff:203.0.113.99")]
    [InlineData("2001:db8:1:2::10", "2001:db8:1:ffff::1")]
    public void Of_AddressesOfOneNetwork_AreTheSame(string a, string b) => Assert.Equal(ClientNetwork.Of(a), ClientNetwork.Of(b));

    [Theory]
    [InlineData("203.0.113.10", "203.0.114.10")]
    [InlineData("2001:db8:1::1", "2001:db8:2::1")]
    [InlineData("10.0.0.1", "::a00:1")]
    public void Of_AddressesOfTwoNetworks_Differ(string a, string b) => Assert.NotEqual(ClientNetwork.Of(a), ClientNetwork.Of(b));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not an address")]
    [InlineData("300.1.1.1")]
    public void Of_NoAddress_IsNone(string? address) => Assert.Equal(ClientNetwork.None, ClientNetwork.Of(address));

    [Theory]
    [InlineData("198.51.100.7", "198.51.100.0/24")]
    [InlineData("2001:db8:abcd:12::1", "2001:db8:abcd::/48")]
    public void Describe_NamesTheNetwork(string address, string network) => Assert.Equal(network, ClientNetwork.Describe(ClientNetwork.Of(address)));
}
