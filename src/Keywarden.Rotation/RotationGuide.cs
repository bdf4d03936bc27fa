using System.Globalization;
using Keywarden.Core.Keys;
using Keywarden.Core.Providers;
using Keywarden.Core.Rotation;
using Keywarden.Mailchimp;
using Keywarden.Storage;

namespace Keywarden.Rotation;

/// <summary>What a person must do in Mailchimp's UI, which has no API for keys: where to click and what to name things.</summary>
public static class RotationGuide
{
    /// <summary>Where the upstream's keys are created and revoked, as its API says (e.g. the datacenter's API keys page).</summary>
    public static Uri KeysPage(UpstreamRecord upstream)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        return Api(upstream).KeysPage(upstream.Datacenter);
    }

    /// <summary>The API of <paramref name="upstream"/>, from <see cref="MailchimpApis.Catalog"/>.</summary>
    public static IUpstreamApi Api(UpstreamRecord upstream)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        return MailchimpApis.Catalog.Get(upstream.Kind);
    }

    /// <summary>A key name that says what the key is for, e.g. <c>keywarden-newsletter-2026-11-23</c>.</summary>
    public static string SuggestedKeyName(UpstreamRecord upstream, DateTimeOffset openedAt)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        return $"keywarden-{upstream.Name}-{openedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
    }

    /// <summary>The numbered steps of a rotation, from creating the key to confirming the old one's revocation.</summary>
    public static IReadOnlyList<string> Steps(UpstreamRecord upstream, RotationRecord rotation, UpstreamKeyRecord? oldKey)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        ArgumentNullException.ThrowIfNull(rotation);
        var page = KeysPage(upstream);
        var name = SuggestedKeyName(upstream, rotation.CreatedAt);
        var account = upstream.AccountId is null ? "" : $" (account {upstream.AccountId})";
        var old = oldKey is null ? "the old key" : $"the old key {KeyDisplay.Describe(oldKey.Prefix, oldKey.Label)}";
        var api = Api(upstream);
        return
        [
            $"Open {page} and sign in to the Mailchimp account{account}.",
            api.CreateKeyStep(name),
            $"Copy the key (it is shown once) into a file, then run: keywarden rotate submit {upstream.Name} --key-file FILE (or pipe it on stdin; never as an argument).",
            "Keywarden verifies it (works, new, same account), switches the gateway to it and updates every sink. Do not revoke anything before it says so.",
            $"Then {api.RevokeKeyStep(old)} and run: keywarden rotate confirm {upstream.Name} --wait",
        ];
    }

    /// <summary>What to do when a sink did not take the new key: one sentence, the same in submit, abort and status.</summary>
    public static string SinkFailedAdvice(UpstreamRecord upstream)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        return $"The gateway already uses the new key and the old one still works: do not revoke it yet. Fix the sink, then: keywarden rotate resume {upstream.Name}";
    }

    /// <summary>The next thing to do for a rotation in <paramref name="state"/>, one line.</summary>
    public static string NextStep(UpstreamRecord upstream, RotationState state, UpstreamKeyRecord? oldKey) =>
        NextStep(upstream, state, oldKey is null ? null : KeyDisplay.Describe(oldKey.Prefix, oldKey.Label));

    /// <summary>The next thing to do for a rotation in <paramref name="state"/>, one line; <paramref name="oldKey"/> as people name it.</summary>
    public static string NextStep(UpstreamRecord upstream, RotationState state, string? oldKey)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        var old = oldKey is null ? "the old key" : $"the old key {oldKey}";
        return state switch
        {
            RotationState.AwaitingNewKey => $"create a key at {KeysPage(upstream)}, then: keywarden rotate submit {upstream.Name} --key-file FILE",
            RotationState.AwaitingRevocation =>
                $"{old} still works until you revoke it at {KeysPage(upstream)}; then: keywarden rotate confirm {upstream.Name} --wait",
            RotationState.Requested or RotationState.Verifying or RotationState.Staged or RotationState.Promoted =>
                $"interrupted at {RotationMachine.Describe(state)}: keywarden rotate resume {upstream.Name}",
            _ => "",
        };
    }
}
