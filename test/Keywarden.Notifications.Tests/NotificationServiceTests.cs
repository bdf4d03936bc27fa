using Keywarden.Application;
using Keywarden.Core.Monitoring;
using Keywarden.Storage;
using Keywarden.Storage.Tests.Support;

namespace Keywarden.Notifications.Tests;

public sealed class NotificationServiceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("ftp://hooks.example.test/x", "its scheme is 'ftp'")]
    [InlineData("hooks.example.test/x", "it is not an absolute URL")]
    [InlineData("https://user:FAKE@hooks.example.test/x", "user name or password")]
    [InlineData("https://hooks.example.test/x#part", "fragment")]
    [InlineData("", "it is not an absolute URL")]
    public async Task AddWebhook_RefusesWhatIsNotAnHttpUrl_AndStoresNothing(string url, string why)
    {
        await using var vault = await TempVault.CreateAsync();

        var error = await Assert.ThrowsAsync<VaultException>(() => vault.Vault.Notifications.AddWebhookAsync(url, NotificationFormat.Generic, AlertSeverity.Info, Ct));

        Assert.Equal(VaultErrorCode.WebhookUrlInvalid, error.Code);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
        Assert.Empty(await vault.Vault.Notifications.ListAsync(Ct));
    }

    [Fact]
    public async Task AddWebhook_ReturnsTheSecretOnce_OpensBackTheUrl_AndAuditsWithoutThePath()
    {
        await using var vault = await TempVault.CreateAsync();

        var added = await vault.Vault.Notifications.AddWebhookAsync(
            "https://hooks.slack.test/services/T000/B000/FAKEsecretpart", NotificationFormat.Slack, AlertSeverity.Warning, Ct);
        var opened = await vault.Vault.Notifications.OpenAsync(added.Target.Id, Ct);

        Assert.StartsWith(NotificationService.SecretPrefix, added.SigningSecret, StringComparison.Ordinal);
        Assert.Equal("https://hooks.slack.test/…", added.Target.Display);
        Assert.Equal(new Uri("https://hooks.slack.test/services/T000/B000/FAKEsecretpart"), opened!.Url);
        Assert.Equal(added.SigningSecret, opened.SigningSecret);
        Assert.DoesNotContain("FAKEsecretpart", opened.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(added.SigningSecret, added.ToString(), StringComparison.Ordinal);
        var record = Assert.Single(await vault.Vault.Store.TailAsync(1, Ct));
        Assert.Equal(("notify.add", added.Target.Id), (record.Entry.Method, record.Entry.Path));
        Assert.Equal("webhook https://hooks.slack.test/… (slack, warning and above)", record.Entry.Detail);
    }

    [Fact]
    public async Task Remove_OfAnUnknownTarget_IsNotFound()
    {
        await using var vault = await TempVault.CreateAsync();

        var error = await Assert.ThrowsAsync<VaultException>(() => vault.Vault.Notifications.RemoveAsync("nt_nothing", Ct));

        Assert.Equal(VaultErrorCode.NotificationTargetNotFound, error.Code);
        Assert.Null(await vault.Vault.Notifications.OpenAsync("nt_nothing", Ct));
    }
}
