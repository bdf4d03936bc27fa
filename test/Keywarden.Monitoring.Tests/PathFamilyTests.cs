namespace Keywarden.Monitoring.Tests;

public sealed class PathFamilyTests
{
    [Theory]
    [InlineData("/3.0/lists/abc123/members/5f3e2a1b9c8d7e6f5a4b3c2d1e0f9a8b", "/3.0/lists/{id}/members/{id}")]
    [InlineData("/lists/abc123/members/5f3e2a1b9c8d7e6f5a4b3c2d1e0f9a8b", "/lists/{id}/members/{id}")]
    [InlineData("/lists/abc123/members", "/lists/{id}/members")]
    [InlineData("/lists/abc123/members/5f3e2a1b9c8d7e6f5a4b3c2d1e0f9a8b/tags", "/lists/{id}/members/{id}/tags")]
    [InlineData("/lists/abc123/members/5f3e2a1b9c8d7e6f5a4b3c2d1e0f9a8b/actions/delete-permanent", "/lists/{id}/members/{id}/actions/delete-permanent")]
    [InlineData("/campaigns/42f1c0ab9e/actions/send", "/campaigns/{id}/actions/send")]
    [InlineData("/campaigns/42f1c0ab9e/content", "/campaigns/{id}/content")]
    [InlineData("/ecommerce/stores/my_store/orders/1001/lines/2", "/ecommerce/stores/{id}/orders/{id}/lines/{id}")]
    [InlineData("/ecommerce/stores/shop-1/customers/cus_77", "/ecommerce/stores/{id}/customers/{id}")]
    [InlineData("/reports/42f1c0ab9e/click-details/7/members/5f3e2a1b", "/reports/{id}/click-details/{id}/members/{id}")]
    [InlineData("/lists/abc123/growth-history/2024-01", "/lists/{id}/growth-history/{id}")]
    [InlineData("/lists/abc123/interest-categories/9a8b/interests/77", "/lists/{id}/interest-categories/{id}/interests/{id}")]
    [InlineData("/verified-domains/example.com/actions/verify", "/verified-domains/{id}/actions/verify")]
    [InlineData("/file-manager/files/123456", "/file-manager/files/{id}")]
    [InlineData("/reporting/facebook-ads/55", "/reporting/facebook-ads/{id}")]
    [InlineData("/activity-feed/chimp-chatter", "/activity-feed/chimp-chatter")]
    [InlineData("/customer-journeys/journeys/12/steps/34/actions/trigger", "/customer-journeys/journeys/{id}/steps/{id}/actions/trigger")]
    [InlineData("/automations/4a5b6c/emails/7d8e9f/queue", "/automations/{id}/emails/{id}/queue")]
    [InlineData("/ping", "/ping")]
    [InlineData("/", "/")]
    [InlineData("/batches", "/batches")]
    public void Of_MarketingPath_ReplacesTheIds(string path, string family) => Assert.Equal(family, PathFamily.Of(path));

    [Theory]
    [InlineData("messages/send")]
    [InlineData("templates/delete")]
    [InlineData("users/ping")]
    public void Of_TransactionalCall_IsTheCallItself(string call) => Assert.Same(call, PathFamily.Of(call));

    [Fact]
    public void Of_TwoMembersOfOneList_ShareTheirFamily() =>
        Assert.Equal(PathFamily.Of("/lists/abc/members/00000000000000000000000000000001"), PathFamily.Of("/lists/abc/members/ffffffffffffffffffffffffffffffff"));

    [Fact]
    public void Of_AVeryLongPath_IsCutToTheMaximum()
    {
        var path = string.Concat(Enumerable.Repeat("/lists/abc", 100));
        var family = PathFamily.Of(path);
        Assert.True(family.Length <= PathFamily.MaxLength, family);
        Assert.EndsWith("…", family);
    }

    [Theory]
    [InlineData("DELETE", "/lists/{id}/members/{id}", true)]
    [InlineData("POST", "/lists/{id}/members/{id}/actions/delete-permanent", true)]
    [InlineData("POST", "templates/delete", true)]
    [InlineData("POST", "messages/cancel-scheduled", true)]
    [InlineData("POST", "/lists/{id}/members", false)]
    [InlineData("POST", "messages/send", false)]
    [InlineData("GET", "/campaigns", false)]
    public void IsDestructive_DeletesAndCancels(string method, string family, bool destructive) =>
        Assert.Equal(destructive, PathFamily.IsDestructive(method, family));
}
