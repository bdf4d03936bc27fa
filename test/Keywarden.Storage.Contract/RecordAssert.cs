using Keywarden.Core.Crypto;
using Keywarden.Core.Policy;

namespace Keywarden.Storage.Contract;

/// <summary>
/// Field-by-field equality for records holding arrays and lists, whose generated Equals compares
/// those by reference.
/// </summary>
public static class RecordAssert
{
    public static void Equal(UpstreamKeyRecord expected, UpstreamKeyRecord? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.UpstreamId, actual.UpstreamId);
        Assert.Equal(expected.Slot, actual.Slot);
        Assert.Equal(expected.Prefix, actual.Prefix);
        Assert.Equal(expected.Label, actual.Label);
        Assert.Equal(expected.Fingerprint, actual.Fingerprint);
        Equal(expected.Secret, actual.Secret);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.VerifiedAt, actual.VerifiedAt);
    }

    public static void Equal(SealedSecret expected, SealedSecret actual)
    {
        Assert.Equal(expected.Ciphertext, actual.Ciphertext);
        Assert.Equal(expected.WrappedDataKey, actual.WrappedDataKey);
        Assert.Equal(expected.MasterKeyId, actual.MasterKeyId);
    }

    public static void Equal(TokenRecord expected, TokenRecord? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.UpstreamId, actual.UpstreamId);
        Assert.Equal(expected.Hash, actual.Hash);
        Equal(expected.Policy, actual.Policy);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.RevokedAt, actual.RevokedAt);
        Assert.Equal(expected.SupersededBy, actual.SupersededBy);
        Assert.Equal(expected.Decoy, actual.Decoy);
        Assert.Equal(expected.Suspension, actual.Suspension);
        Assert.Equal(expected.OnAnomaly, actual.OnAnomaly);
    }

    public static void Equal(TokenPolicy expected, TokenPolicy actual)
    {
        Assert.Equal(expected.ReadOnly, actual.ReadOnly);
        Assert.Equal(expected.Paths, actual.Paths);
        Assert.Equal(expected.Methods, actual.Methods);
        Assert.Equal(expected.Cidrs, actual.Cidrs);
        Assert.Equal(expected.Origins, actual.Origins);
        Assert.Equal(expected.NotBefore, actual.NotBefore);
        Assert.Equal(expected.ExpiresAt, actual.ExpiresAt);
        Assert.Equal(expected.Rate, actual.Rate);
        Assert.Equal(expected.FromDomains, actual.FromDomains);
        Assert.Equal(expected.MaxRecipients, actual.MaxRecipients);
        Assert.Equal(expected.DailyQuota, actual.DailyQuota);
    }
}
