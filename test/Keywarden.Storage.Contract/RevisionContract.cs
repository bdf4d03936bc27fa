using Keywarden.Core.Crypto;

namespace Keywarden.Storage.Contract;

/// <summary>The revision a gateway's token cache watches: it moves with every write to upstreams, keys and tokens, and only then.</summary>
public abstract class RevisionContract : StoreContract
{
    private readonly UpstreamRecord _upstream = Samples.Upstream();

    [Fact]
    public async Task Revision_MovesWithEveryUpstreamKeyAndTokenWrite()
    {
        var seen = new List<long> { await Store.GetRevisionAsync(Ct) };
        async Task Step(Func<Task> write)
        {
            await write();
            seen.Add(await Store.GetRevisionAsync(Ct));
        }

        await Step(() => Store.AddUpstreamAsync(_upstream, Samples.CurrentKey(_upstream, Master), AuditSamples.Change, Ct));
        await Step(() => Store.AddTokenAsync(Samples.Token(_upstream.Id, "tok_1"), AuditSamples.Change, Ct));
        await Step(() => Store.SuspendTokenAsync("tok_1", Samples.T0, "alert", AuditSamples.Change, Ct));
        await Step(() => Store.ResumeTokenAsync("tok_1", AuditSamples.Change, Ct));
        await Step(() => Store.RevokeTokenAsync("tok_1", Samples.T0, AuditSamples.Change, Ct));
        await Step(() => Store.MarkVerifiedAsync("key_newsletter", "acct", Samples.T0, Ct));
        await Step(() => Store.RewrapAllAsync((id, secret) => EnvelopeCipher.Rewrap(Master, Master, id, secret), Master.Id, _ => AuditSamples.Change, Ct));
        await Step(() => Store.AddTokenAsync(Samples.Token(_upstream.Id, "tok_2"), AuditSamples.Change, Ct));
        await Step(() => Store.RemoveUpstreamAsync(_upstream.Name, Samples.T0, AuditSamples.Change, Ct));

        for (var i = 1; i < seen.Count; i++)
        {
            Assert.True(seen[i] > seen[i - 1], $"write {i} did not move the revision: {string.Join(", ", seen)}");
        }
    }

    [Fact]
    public async Task Revision_StaysWhenOnlyTheAuditLogOrNothingChanges()
    {
        await Store.AddUpstreamAsync(_upstream, Samples.CurrentKey(_upstream, Master), AuditSamples.Change, Ct);
        var before = await Store.GetRevisionAsync(Ct);

        await Store.AppendAsync(AuditSamples.Requests(5), Ct);
        await Store.ListTokensAsync(Ct);
        await Store.FindUpstreamAsync(_upstream.Name, Ct);
        Assert.False(await Store.RevokeTokenAsync("tok_missing", Samples.T0, AuditSamples.Change, Ct));
        await Assert.ThrowsAsync<StorageException>(() => Store.AddTokenAsync(Samples.Token("up_missing", "tok_1"), AuditSamples.Change, Ct));

        Assert.Equal(before, await Store.GetRevisionAsync(Ct));
    }

    [Fact]
    public async Task Revision_OfANewStore_IsZero_AndSurvivesReopening()
    {
        Assert.Equal(0, await Store.GetRevisionAsync(Ct));
        await Store.AddUpstreamAsync(_upstream, Samples.CurrentKey(_upstream, Master), AuditSamples.Change, Ct);
        var revision = await Store.GetRevisionAsync(Ct);

        var reopened = await OpenAnotherInstanceAsync();

        Assert.Equal(revision, await reopened.GetRevisionAsync(Ct));
    }
}
