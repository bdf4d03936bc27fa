using System.Security.Cryptography;
using Keywarden.Application;
using Keywarden.Core.Crypto;
using Keywarden.Core.Keys;
using Keywarden.Core.Providers;

namespace Keywarden.Storage.Tests.Support;

/// <summary>A vault on a <see cref="TempStore"/> with a random master key; keys are stored unverified (asking to verify one throws).</summary>
internal sealed class TempVault : IAsyncDisposable
{
    private TempVault(TempStore temp, KeywardenVault vault)
    {
        Temp = temp;
        Vault = vault;
    }

    public TempStore Temp { get; }

    public KeywardenVault Vault { get; }

    public static async Task<TempVault> CreateAsync()
    {
        var temp = await TempStore.CreateAsync();
        var source = new MasterKeySource(Convert.ToBase64String(RandomNumberGenerator.GetBytes(MasterKey.Size)), Path.Combine(Path.GetTempPath(), "unused.key"));
        var vault = await KeywardenVault.OpenAsync(temp.Store, source, new NoVerifier(), TimeProvider.System, TestContext.Current.CancellationToken);
        return new TempVault(temp, vault);
    }

    public async ValueTask DisposeAsync()
    {
        await Vault.DisposeAsync();
        await Temp.DisposeAsync();
    }

    private sealed class NoVerifier : IKeyVerifier
    {
        public Task<KeyVerification> VerifyAsync(UpstreamKey key, Uri? baseAddress, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("these tests store keys unverified");
    }
}
