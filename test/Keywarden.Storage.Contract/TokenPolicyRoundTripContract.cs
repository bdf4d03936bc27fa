using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Keywarden.Core.Policy;

namespace Keywarden.Storage.Contract;

/// <summary>Any policy stored with a token reads back equal (times at millisecond precision, as documented).</summary>
public abstract class TokenPolicyRoundTripContract : StoreContract
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly UpstreamRecord _upstream = Samples.Upstream();
    private int _next;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        await Store.AddUpstreamAsync(_upstream, Samples.CurrentKey(_upstream, Master), AuditSamples.Change, Ct);
    }

    [Property(MaxTest = 150)]
    public Property AnyPolicy_StoredWithAToken_ReadsBackEqual() =>
        Prop.ForAll(Arb.From(Policies()), async policy =>
        {
            var token = Samples.Token(_upstream.Id, $"tok_{Interlocked.Increment(ref _next)}", policy: policy);

            await Store.AddTokenAsync(token, AuditSamples.Change, Ct);

            var stored = await Store.FindTokenAsync(token.Id, Ct);
            RecordAssert.Equal(policy, stored!.Policy);
        });

    private static Gen<TokenPolicy> Policies()
    {
        // Valid Unicode only: the store refuses unpaired surrogates (see PolicyJsonTests).
        var text = ArbMap.Default.GeneratorFor<NonNull<string>>().Select(value => value.Get).Where(IsValidUnicode);
        var texts = text.ListOf().Select(list => (IReadOnlyList<string>)[.. list]);
        var number = ArbMap.Default.GeneratorFor<int>();
        var optionalNumber = Gen.OneOf(Gen.Constant<int?>(null), number.Select(value => (int?)value));
        var optionalInstant = Gen.OneOf(Gen.Constant<DateTimeOffset?>(null), Instants().Select(value => (DateTimeOffset?)value));
        var optionalRate = Gen.OneOf(
            Gen.Constant<RateLimit?>(null),
            from requests in number
            from windowMs in Milliseconds(maxDays: 3_650)
            select (RateLimit?)new RateLimit(requests, TimeSpan.FromMilliseconds(windowMs)));

        return
            from readOnly in ArbMap.Default.GeneratorFor<bool>()
            from paths in texts
            from methods in texts
            from cidrs in texts
            from origins in texts
            from notBefore in optionalInstant
            from expiresAt in optionalInstant
            from rate in optionalRate
            from fromDomains in texts
            from maxRecipients in optionalNumber
            from dailyQuota in optionalNumber
            select new TokenPolicy
            {
                ReadOnly = readOnly,
                Paths = paths,
                Methods = methods,
                Cidrs = cidrs,
                Origins = origins,
                NotBefore = notBefore,
                ExpiresAt = expiresAt,
                Rate = rate,
                FromDomains = fromDomains,
                MaxRecipients = maxRecipients,
                DailyQuota = dailyQuota,
            };
    }

    private static bool IsValidUnicode(string text)
    {
        try
        {
            _ = StrictUtf8.GetByteCount(text);
            return true;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>Any instant of years 1 to 9999 (a day clear of either end, so every offset fits) at millisecond precision.</summary>
    private static Gen<DateTimeOffset> Instants() =>
        from day in Gen.Choose(1, 3_652_057)
        from millisecond in Gen.Choose(0, 86_399_999)
        from offsetMinutes in Gen.Choose(-14 * 60, 14 * 60)
        let utc = new DateTimeOffset(DateTime.MinValue.AddDays(day).AddMilliseconds(millisecond), TimeSpan.Zero)
        select utc.ToOffset(TimeSpan.FromMinutes(offsetMinutes));

    private static Gen<long> Milliseconds(int maxDays) =>
        from day in Gen.Choose(-maxDays, maxDays)
        from millisecond in Gen.Choose(0, 86_399_999)
        select (day * 86_400_000L) + millisecond;
}
