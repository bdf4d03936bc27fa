using System.Text;
using Keywarden.Core.Crypto;

namespace Keywarden.Core.Tests.Crypto;

public sealed class EnvelopeCipherTests
{
    private const string Canary = "c4a7c4a7c4a7c4a7c4a7c4a7c4a7c4a7-us9";

    [Fact]
    public void Seal_ThenOpen_ReturnsThePlaintext()
    {
        using var master = MasterKey.Generate();

        var sealedSecret = EnvelopeCipher.Seal(master, "up_1", Canary);

        Assert.Equal(Canary, EnvelopeCipher.OpenString(master, "up_1", sealedSecret));
        Assert.Equal(master.Id, sealedSecret.MasterKeyId);
    }

    [Fact]
    public void Seal_SameSecretTwice_GivesDifferentCiphertexts()
    {
        using var master = MasterKey.Generate();

        var a = EnvelopeCipher.Seal(master, "up_1", Canary);
        var b = EnvelopeCipher.Seal(master, "up_1", Canary);

        Assert.NotEqual(a.Ciphertext, b.Ciphertext);
        Assert.NotEqual(a.WrappedDataKey, b.WrappedDataKey);
    }

    [Fact]
    public void Seal_CiphertextDoesNotContainThePlaintext()
    {
        using var master = MasterKey.Generate();

        var sealedSecret = EnvelopeCipher.Seal(master, "up_1", Canary);

        Assert.Equal(-1, sealedSecret.Ciphertext.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Canary)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(20)]
    [InlineData(40)]
    public void Open_TamperedCiphertext_FailsWithAClearError(int position)
    {
        using var master = MasterKey.Generate();
        var sealedSecret = EnvelopeCipher.Seal(master, "up_1", Canary);
        var tampered = (byte[])sealedSecret.Ciphertext.Clone();
        tampered[Math.Min(position, tampered.Length - 1)] ^= 0x01;

        var error = Assert.Throws<KeywardenCryptoException>(
            () => EnvelopeCipher.Open(master, "up_1", sealedSecret with { Ciphertext = tampered }));

        Assert.Contains("up_1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_TamperedWrappedDataKey_Fails()
    {
        using var master = MasterKey.Generate();
        var sealedSecret = EnvelopeCipher.Seal(master, "up_1", Canary);
        var tampered = (byte[])sealedSecret.WrappedDataKey.Clone();
        tampered[^1] ^= 0x80;

        var error = Assert.Throws<KeywardenCryptoException>(
            () => EnvelopeCipher.Open(master, "up_1", sealedSecret with { WrappedDataKey = tampered }));

        Assert.Contains("data key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_WithWrongMasterKey_SaysTheMasterKeyIsWrong()
    {
        using var master = MasterKey.Generate();
        using var other = MasterKey.Generate();
        var sealedSecret = EnvelopeCipher.Seal(master, "up_1", Canary);

        var error = Assert.Throws<KeywardenCryptoException>(() => EnvelopeCipher.Open(other, "up_1", sealedSecret));

        Assert.Contains("master key", error.Message, StringComparison.Ordinal);
        Assert.Contains(other.Id, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_WrongMasterKeyEvenWithForgedId_FailsAuthentication()
    {
        using var master = MasterKey.Generate();
        using var other = MasterKey.Generate();
        var sealedSecret = EnvelopeCipher.Seal(master, "up_1", Canary) with { MasterKeyId = other.Id };

        Assert.Throws<KeywardenCryptoException>(() => EnvelopeCipher.Open(other, "up_1", sealedSecret));
    }

    [Fact]
    public void Open_CiphertextMovedToAnotherRecord_Fails()
    {
        using var master = MasterKey.Generate();
        var sealedSecret = EnvelopeCipher.Seal(master, "up_1", Canary);

        var error = Assert.Throws<KeywardenCryptoException>(() => EnvelopeCipher.Open(master, "up_2", sealedSecret));

        Assert.Contains("up_2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rewrap_KeepsTheSecretAndSwitchesMasterKey()
    {
        using var oldKey = MasterKey.Generate();
        using var newKey = MasterKey.Generate();
        var sealedSecret = EnvelopeCipher.Seal(oldKey, "up_1", Canary);

        var rewrapped = EnvelopeCipher.Rewrap(oldKey, newKey, "up_1", sealedSecret);

        Assert.Equal(sealedSecret.Ciphertext, rewrapped.Ciphertext);
        Assert.Equal(newKey.Id, rewrapped.MasterKeyId);
        Assert.Equal(Canary, EnvelopeCipher.OpenString(newKey, "up_1", rewrapped));
        Assert.Throws<KeywardenCryptoException>(() => EnvelopeCipher.Open(oldKey, "up_1", rewrapped));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("AAAA")]
    public void MasterKey_FromBase64_RejectsAnythingButThirtyTwoBytes(string text) =>
        Assert.Throws<KeywardenCryptoException>(() => MasterKey.FromBase64(text));

    [Fact]
    public void MasterKey_Base64_RoundTripsAndKeepsItsId()
    {
        using var master = MasterKey.Generate();
        using var again = MasterKey.FromBase64(master.ToBase64());

        Assert.Equal(master.Id, again.Id);
        Assert.DoesNotContain(master.ToBase64(), master.ToString(), StringComparison.Ordinal);
    }
}
