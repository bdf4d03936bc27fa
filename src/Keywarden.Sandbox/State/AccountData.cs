using Keywarden.Sandbox.Marketing;
using Keywarden.Sandbox.Transactional;

namespace Keywarden.Sandbox.State;

/// <summary>Everything one account holds. All of it is read and written under <see cref="Sync"/>.</summary>
internal sealed class AccountData
{
    public AccountData(SandboxAccount account)
    {
        Account = account;
    }

    public SandboxAccount Account { get; }

    public Lock Sync { get; } = new();

    public OrderedDictionary<string, AudienceList> Lists { get; } = new(StringComparer.Ordinal);

    public OrderedDictionary<string, BatchRecord> Batches { get; } = new(StringComparer.Ordinal);

    /// <summary>Templates by slug.</summary>
    public Dictionary<string, MandrillTemplate> Templates { get; } = new(StringComparer.Ordinal);
}
