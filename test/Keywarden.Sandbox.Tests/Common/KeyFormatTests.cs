namespace Keywarden.Sandbox.Tests.Common;

public sealed class KeyFormatTests
{
    [Fact]
    public void CreateKey_Marketing_Is32LowercaseHexDashDatacenter()
    {
        var state = new SandboxState();
        var account = state.CreateAccount("Acme", "us19");

        var keys = Enumerable.Range(0, 50).Select(_ => state.CreateKey(account.AccountId, SandboxKeyKind.Marketing).Key).ToList();

        Assert.All(keys, k => Assert.Matches("^[0-9a-f]{32}-us19$", k));
        Assert.Equal(50, keys.Distinct().Count());
    }

    [Fact]
    public void CreateKey_Transactional_IsMdDash22UrlSafeChars()
    {
        var state = new SandboxState();
        var account = state.CreateAccount("Acme");

        var keys = Enumerable.Range(0, 50).Select(_ => state.CreateKey(account.AccountId, SandboxKeyKind.Transactional).Key).ToList();

        Assert.All(keys, k => Assert.Matches("^md-[A-Za-z0-9_-]{22}$", k));
        Assert.Equal(50, keys.Distinct().Count());
    }

    [Fact]
    public void CreatedKey_ToStringAndKeyInfo_NeverShowTheKey()
    {
        var state = new SandboxState();
        var account = state.CreateAccount("Acme");
        var created = state.CreateKey(account.AccountId, SandboxKeyKind.Marketing, "crm");

        Assert.DoesNotContain(created.Key, created.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(created.Key, created.Info.ToString(), StringComparison.Ordinal);
        Assert.Equal(created.Key[..4], state.GetKeys(account.AccountId).Single().Prefix);
    }

    [Fact]
    public void RevokeKey_IsIdempotentAndKeepsTheFirstRevocationTime()
    {
        var state = new SandboxState();
        var account = state.CreateAccount("Acme");
        var created = state.CreateKey(account.AccountId, SandboxKeyKind.Transactional);

        var first = state.RevokeKey(created.KeyId);
        var second = state.RevokeKey(created.KeyId);

        Assert.Equal(SandboxKeyState.Revoked, second.State);
        Assert.Equal(first.RevokedAt, second.RevokedAt);
    }

    [Theory]
    [InlineData("eu1")]
    [InlineData("us")]
    [InlineData("us123")]
    public void CreateAccount_WithUnknownDatacenter_Throws(string datacenter)
    {
        var state = new SandboxState();

        var error = Assert.Throws<SandboxException>(() => state.CreateAccount("Acme", datacenter));

        Assert.False(error.IsNotFound);
    }

    [Fact]
    public void HoldRequests_Twice_Throws()
    {
        var state = new SandboxState();
        using var hold = state.HoldRequests();

        Assert.Throws<InvalidOperationException>(() => state.HoldRequests());
        hold.Release();
        using var again = state.HoldRequests();
        Assert.False(again.IsReleased);
    }
}
