using System.Buffers;
using System.Runtime.CompilerServices;
using Keywarden.Core.Providers;
using Keywarden.Mailchimp;

namespace Keywarden.Scanner.Detection;

/// <summary>
/// The secret patterns of a catalog's APIs plus Keywarden's token, compiled once for every text a scan reads: one
/// search for every anchor (and the <c>keywarden:allow</c> marker), the context patterns with their keywords, the rule list.
/// </summary>
internal sealed class SecretRules
{
    public const string AllowMarker = "keywarden:allow";

    private static readonly ConditionalWeakTable<UpstreamApiCatalog, SecretRules> Compiled = [];

    private SecretRules(UpstreamApiCatalog apis)
    {
        SecretPattern[] patterns = [.. apis.All.SelectMany(a => a.SecretPatterns), new GatewayTokenPattern(), .. OperatorSecretPattern.All];
        Anchored = [.. patterns.OfType<AnchoredSecretPattern>()];
        Context = [.. patterns.OfType<ContextSecretPattern>().Select(p => new ContextRule(p))];
        AnchorLiterals = [.. Anchored.Select(p => p.Anchor).Distinct(StringComparer.Ordinal)];
        Anchors = SearchValues.Create([.. AnchorLiterals, AllowMarker], StringComparison.Ordinal);
        Rules = [.. patterns.GroupBy(p => p.RuleId, StringComparer.Ordinal).Select(g => new ScanRule(g.Key, g.First().Description))];
    }

    /// <summary>Mailchimp's two APIs and Keywarden's token: what <c>keywarden scan</c> looks for.</summary>
    public static SecretRules Default => For(MailchimpApis.Catalog);

    public IReadOnlyList<AnchoredSecretPattern> Anchored { get; }

    /// <summary>Every anchored pattern's anchor, once each.</summary>
    public IReadOnlyList<string> AnchorLiterals { get; }

    /// <summary>The anchors and <see cref="AllowMarker"/>, for one vectorised pass.</summary>
    public SearchValues<string> Anchors { get; }

    public IReadOnlyList<ContextRule> Context { get; }

    public IReadOnlyList<ScanRule> Rules { get; }

    public static SecretRules For(UpstreamApiCatalog apis)
    {
        ArgumentNullException.ThrowIfNull(apis);
        return Compiled.GetValue(apis, static a => new SecretRules(a));
    }
}
