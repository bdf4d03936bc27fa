using Keywarden.Core.Crypto;

namespace Keywarden.Core.Tests.Crypto;

/// <summary>A master key object replaced in place (a running server after a master-key rotation): what its holders seal and open.</summary>
public sealed class MasterKeyReplaceTests
{
    [Fact]
    public void AfterReplace_TheHolderSealsAndOpensWithTheNewKey_AndACopyTakenBeforeKeepsTheOld()
    {
        using var live = MasterKey.Generate();
        using var next = MasterKey.Generate();
        var sealedBefore = EnvelopeCipher.Seal(live, "ups_1", "FAKE-secret-one");
        using var old = live.Copy();

        live.Replace(next);
        var sealedAfter = EnvelopeCipher.Seal(live, "ups_2", "FAKE-secret-two");

        Assert.Equal(next.Id, live.Id);
        Assert.Equal(old.Id, sealedBefore.MasterKeyId);
        Assert.Equal(next.Id, sealedAfter.MasterKeyId);
        Assert.Equal("FAKE-secret-two", EnvelopeCipher.OpenString(next, "ups_2", sealedAfter));
        Assert.Equal("FAKE-secret-one", EnvelopeCipher.OpenString(old, "ups_1", sealedBefore));
        Assert.Throws<KeywardenCryptoException>(() => EnvelopeCipher.OpenString(live, "ups_1", sealedBefore));
        var rewrapped = EnvelopeCipher.Rewrap(old, live, "ups_1", sealedBefore);
        Assert.Equal("FAKE-secret-one", EnvelopeCipher.OpenString(live, "ups_1", rewrapped));
    }

    [Fact]
    public void Replace_CopiesTheKey_SoDisposingTheGivenOneLeavesTheHolderWorking()
    {
        using var live = MasterKey.Generate();
        var next = MasterKey.Generate();
        var id = next.Id;

        live.Replace(next);
        next.Dispose();

        Assert.Equal(id, live.Id);
        Assert.Equal("FAKE-still-opens", EnvelopeCipher.OpenString(live, "r", EnvelopeCipher.Seal(live, "r", "FAKE-still-opens")));
    }
}
