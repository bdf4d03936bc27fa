using Keywarden.Core.Keys;
using Keywarden.Core.Providers;

namespace Keywarden.Scanner.Verification;

/// <summary>
/// Asks the upstream whether a found key works, through the API whose key format it has (<see cref="IUpstreamApi.VerifyAsync"/>,
/// the same call that verifies a key stored in the vault). Each distinct secret is checked once per scan, paced by
/// <see cref="RequestPacer"/>. The key travels only in a header or body; no detail returned names it.
/// </summary>
internal sealed class KeyChecker(UpstreamApiCatalog apis, VerifyOptions options)
{
    public async Task CheckAllAsync(IReadOnlyList<Finding> findings, CancellationToken cancellationToken)
    {
        using var pacer = new RequestPacer(options.MaxConcurrency, options.MaxPerSecond, options.Time);
        var checks = findings
            .GroupBy(f => (f.RuleId, f.Secret))
            .Select(async group =>
            {
                var check = await CheckAsync(group.Key.Secret, pacer, cancellationToken);
                foreach (var finding in group)
                {
                    finding.Verification = check;
                }
            });
        await Task.WhenAll(checks);
    }

    private Task<KeyCheck> CheckAsync(string secret, RequestPacer pacer, CancellationToken cancellationToken) =>
        apis.TryParseAnyKey(secret, out var api, out var key)
            ? pacer.RunAsync(ct => VerifyAsync(api, key, ct), cancellationToken)
            : Task.FromResult(new KeyCheck(VerificationStatus.Unknown, "no upstream to ask: check 'keywarden token list'"));

    private async Task<KeyCheck> VerifyAsync(IUpstreamApi api, UpstreamKey key, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        var baseAddress = options.BaseAddresses.GetValueOrDefault(api.Kind);
        try
        {
            var verification = await api.VerifyAsync(options.Http, key, baseAddress, timeout.Token);
            return verification.Status switch
            {
                KeyVerificationStatus.Valid => new KeyCheck(VerificationStatus.Active),
                KeyVerificationStatus.Invalid => new KeyCheck(VerificationStatus.Revoked, verification.Detail),
                _ => new KeyCheck(VerificationStatus.Unknown, verification.Detail),
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new KeyCheck(VerificationStatus.Unknown, $"no answer from {api.DisplayName} in {options.Timeout.TotalSeconds:0.#} s");
        }
    }
}
