using Keywarden.Core.Policy;

namespace Keywarden.Core.Tests.Policy;

public sealed class TransactionalMethodsTests
{
    [Theory]
    [InlineData("users/ping")]
    [InlineData("users/ping2")]
    [InlineData("users/info")]
    [InlineData("users/senders")]
    [InlineData("messages/search-time-series")]
    [InlineData("templates/info")]
    [InlineData("whitelists/list")]
    [InlineData("allowlists/list")]
    [InlineData("urls/tracking-domains")]
    [InlineData("metadata/list")]
    public void IsReadOnly_ReadingMethods_AreReadOnly(string method) => Assert.True(TransactionalMethods.IsReadOnly(method));

    [Theory]
    [InlineData("messages/send")]
    [InlineData("messages/send-raw")]
    [InlineData("messages/cancel-scheduled")]
    [InlineData("templates/add")]
    [InlineData("rejects/delete")]
    [InlineData("webhooks/key-reset")]
    [InlineData("exports/activity")]
    [InlineData("senders/check-domain")]
    [InlineData("users/ping.json")]
    [InlineData("users/future-method")]
    [InlineData("")]
    public void IsReadOnly_WritesAndUnknownMethods_AreNot(string method) => Assert.False(TransactionalMethods.IsReadOnly(method));
}
