using System.Security.Cryptography;
using System.Text;
using Keywarden.Core.Crypto;
using Keywarden.Core.Keys;
using Keywarden.Core.Policy;

namespace Keywarden.Storage.Contract;

/// <summary>Records with every field set. Times are at millisecond precision: what the store keeps.</summary>
public static class Samples
{
    public const string MarketingKey = "0123456789abcdef0123456789abcdef-us21";

    public static readonly DateTimeOffset T0 = new(2025, 3, 14, 15, 9, 26, 535, TimeSpan.Zero);

    public static TokenPolicy FullPolicy { get; } = new()
    {
        ReadOnly = true,
        Paths = ["/lists/**", "/ping"],
        Methods = ["messages/send", "users/ping"],
        Cidrs = ["10.0.0.0/8", "2001:db8::/32"],
        Origins = ["https://app.example.org"],
        NotBefore = new DateTimeOffset(2025, 3, 14, 17, 9, 26, 535, TimeSpan.FromHours(2)),
        ExpiresAt = T0.AddDays(30).AddMilliseconds(1),
        Rate = new RateLimit(600, TimeSpan.FromMinutes(1)),
        FromDomains = ["news.example.org", "mail.example.org"],
        MaxRecipients = 50,
        DailyQuota = 10_000,
    };

    public static UpstreamRecord Upstream(string name = "newsletter") => new(
        Id: "up_" + name,
        Name: name,
        Kind: UpstreamKind.Marketing,
        Datacenter: "us21",
        BaseUrl: new Uri("http://127.0.0.1:5080/3.0/"),
        AccountId: "8d3a3db4d97663a9074efcc16",
        MaxKeyAge: TimeSpan.FromDays(90).Add(TimeSpan.FromMilliseconds(7)),
        CreatedAt: T0);

    public static UpstreamKeyRecord CurrentKey(UpstreamRecord upstream, MasterKey masterKey, KeySlot slot = KeySlot.Current, string? id = null)
    {
        id ??= "key_" + upstream.Name;
        return new UpstreamKeyRecord(
            Id: id,
            UpstreamId: upstream.Id,
            Slot: slot,
            Prefix: MarketingKey[..4],
            Label: "keywarden " + upstream.Name,
            Fingerprint: Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(MarketingKey))),
            Secret: EnvelopeCipher.Seal(masterKey, id, MarketingKey),
            CreatedAt: T0.AddMinutes(1),
            VerifiedAt: T0.AddMinutes(2));
    }

    public static TokenRecord Token(string upstreamId, string id, DateTimeOffset? createdAt = null, TokenPolicy? policy = null) => new(
        Id: id,
        Name: "app " + id,
        UpstreamId: upstreamId,
        Hash: SHA256.HashData(Encoding.UTF8.GetBytes("kw_secret_of_" + id)),
        Policy: policy ?? FullPolicy,
        CreatedAt: createdAt ?? T0,
        RevokedAt: null);
}
