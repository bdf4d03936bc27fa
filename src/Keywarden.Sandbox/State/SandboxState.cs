using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Keywarden.Sandbox.Common;
using Keywarden.Sandbox.Marketing;
using Keywarden.Sandbox.State;

namespace Keywarden.Sandbox;

/// <summary>
/// The sandbox's whole world, in memory and thread-safe: accounts, keys, lists, members, batches, templates, sent
/// messages and the requests received. What the Mailchimp web UI does for a person (create and revoke keys) is
/// done here or through the control API.
/// </summary>
[SuppressMessage("Reliability", "CA2213:Disposable fields should be disposed", Justification = "A hold belongs to whoever took it.")]
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "A hold belongs to whoever took it; the state only forgets it when released.")]
public sealed partial class SandboxState
{
    /// <summary>Requests kept in the log; older ones are dropped so a long demo does not grow without bound.</summary>
    public const int MaxRecordedRequests = 10_000;

    private readonly Lock _sync = new();
    private readonly OrderedDictionary<string, AccountData> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KeyRecord> _keysById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KeyRecord> _keysBySecret = new(StringComparer.Ordinal);

    // Marketing keys by their 32-hex part, so a key presented with another -dc suffix is still recognised (and refused).
    private readonly Dictionary<string, KeyRecord> _marketingBySecretPart = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BatchRecord> _batches = new(StringComparer.Ordinal);
    private readonly Queue<RecordedRequest> _requests = new();
    private readonly List<SentMessage> _sentMessages = [];
    private readonly ConcurrentDictionary<string, StrongBox<int>> _inFlight = new(StringComparer.Ordinal);
    private RequestHold? _hold;
    private long _responseDelayTicks;

    public SandboxState()
        : this(TimeProvider.System)
    {
    }

    public SandboxState(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        TimeProvider = timeProvider;
    }

    public TimeProvider TimeProvider { get; }

    /// <summary>Added before every Marketing and Transactional response (after the concurrency check). Zero by default.</summary>
    public TimeSpan ResponseDelay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _responseDelayTicks));
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            Interlocked.Exchange(ref _responseDelayTicks, value.Ticks);
        }
    }

    public IReadOnlyList<SandboxAccount> Accounts
    {
        get
        {
            lock (_sync)
            {
                return [.. _accounts.Values.Select(a => a.Account)];
            }
        }
    }

    /// <summary>Requests received on the Mailchimp APIs, oldest first (a snapshot).</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_sync)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Messages accepted by the Transactional API, oldest first (a snapshot).</summary>
    public IReadOnlyList<SentMessage> SentMessages
    {
        get
        {
            lock (_sync)
            {
                return [.. _sentMessages];
            }
        }
    }

    /// <summary>Creates an account. <paramref name="username"/> (Transactional) defaults to one derived from the name.</summary>
    public SandboxAccount CreateAccount(string name, string datacenter = "us21", string? username = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(datacenter);
        if (!DatacenterPattern().IsMatch(datacenter))
        {
            throw new SandboxException($"'{datacenter}' is not a Mailchimp datacenter (us1, us2, … us21, …).");
        }

        var slug = Slug(name);
        var account = new SandboxAccount(
            AccountId: Ids.Hex(25),
            Name: name.Trim(),
            Datacenter: datacenter,
            Username: string.IsNullOrWhiteSpace(username) ? slug : username.Trim(),
            LoginId: Ids.Digits(9),
            Email: $"owner@{slug}.example",
            CreatedAt: TimeProvider.GetUtcNow());
        lock (_sync)
        {
            _accounts.Add(account.AccountId, new AccountData(account));
        }

        return account;
    }

    public SandboxAccount GetAccount(string accountId) => GetAccountData(accountId).Account;

    /// <summary>Creates a key, as a person does on the account's API keys page. The result is the only place the key is shown.</summary>
    public CreatedSandboxKey CreateKey(string accountId, SandboxKeyKind kind, string? name = null)
    {
        var account = GetAccountData(accountId).Account;
        var secret = kind switch
        {
            SandboxKeyKind.Marketing => Ids.MarketingKey(account.Datacenter),
            SandboxKeyKind.Transactional => Ids.TransactionalKey(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown key kind."),
        };
        var record = new KeyRecord(
            "key_" + Ids.Hex(16),
            account.AccountId,
            kind,
            string.IsNullOrWhiteSpace(name) ? $"{kind} key" : name.Trim(),
            secret,
            TimeProvider.GetUtcNow());
        lock (_sync)
        {
            _keysById.Add(record.KeyId, record);
            _keysBySecret.Add(record.Secret, record);
            if (kind == SandboxKeyKind.Marketing)
            {
                _marketingBySecretPart.Add(secret[..secret.LastIndexOf('-')], record);
            }
        }

        return new CreatedSandboxKey(record.ToInfo(), secret);
    }

    /// <summary>Keys of an account as its API keys page lists them (prefix and label, never the key).</summary>
    public IReadOnlyList<SandboxKeyInfo> GetKeys(string accountId)
    {
        _ = GetAccountData(accountId);
        lock (_sync)
        {
            return [.. _keysById.Values.Where(k => k.AccountId == accountId).OrderBy(k => k.CreatedAt).Select(k => k.ToInfo())];
        }
    }

    public SandboxKeyInfo GetKey(string keyId)
    {
        lock (_sync)
        {
            return FindKey(keyId).ToInfo();
        }
    }

    /// <summary>Revokes a key: from now on it gets 401 (Marketing) or Invalid_Key (Transactional). Idempotent.</summary>
    public SandboxKeyInfo RevokeKey(string keyId)
    {
        lock (_sync)
        {
            var key = FindKey(keyId);
            key.RevokedAt ??= TimeProvider.GetUtcNow();
            return key.ToInfo();
        }
    }

    public void ClearRequests()
    {
        lock (_sync)
        {
            _requests.Clear();
        }
    }

    /// <summary>Forgets the messages accepted so far (tests that share one sandbox start from none).</summary>
    public void ClearSentMessages()
    {
        lock (_sync)
        {
            _sentMessages.Clear();
        }
    }

    /// <summary>
    /// Parks every API request after authentication and the concurrency check until the returned hold is released
    /// (or disposed). One hold at a time.
    /// </summary>
    public RequestHold HoldRequests()
    {
        lock (_sync)
        {
            if (_hold is { IsReleased: false })
            {
                throw new InvalidOperationException("Requests are already held; release that hold first.");
            }

            _hold = new RequestHold(OnHoldReleased);
            return _hold;
        }
    }

    /// <summary>The active hold, or a new one (the control API's idempotent form of <see cref="HoldRequests"/>).</summary>
    internal RequestHold GetOrStartHold()
    {
        lock (_sync)
        {
            if (_hold is not { IsReleased: false })
            {
                _hold = new RequestHold(OnHoldReleased);
            }

            return _hold;
        }
    }

    internal RequestHold? CurrentHold
    {
        get
        {
            lock (_sync)
            {
                return _hold is { IsReleased: false } ? _hold : null;
            }
        }
    }

    /// <summary>The hold (if any), then the artificial latency: what every API request goes through before it is handled.</summary>
    internal async Task PassGateAsync(CancellationToken cancellationToken)
    {
        var hold = CurrentHold;
        if (hold is not null)
        {
            await hold.ParkAsync(cancellationToken);
        }

        var delay = ResponseDelay;
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, TimeProvider, cancellationToken);
        }
    }

    internal AccountData GetAccountData(string accountId)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        lock (_sync)
        {
            return _accounts.TryGetValue(accountId, out var account)
                ? account
                : throw new SandboxException($"No account '{accountId}'.", isNotFound: true);
        }
    }

    /// <summary>
    /// Resolves a Marketing key. Accepted only when active, of the Marketing kind, and its -dc suffix is the account's
    /// datacenter (and the datacenter the request was addressed to, when the Host names one, e.g. us21.localhost).
    /// </summary>
    internal KeyResolution ResolveMarketingKey(string presented, string? hostDatacenter)
    {
        lock (_sync)
        {
            if (_keysBySecret.TryGetValue(presented, out var key))
            {
                var account = _accounts[key.AccountId];
                var accepted = key.IsActive
                    && key.Kind == SandboxKeyKind.Marketing
                    && (hostDatacenter is null || hostDatacenter == account.Account.Datacenter);
                return new KeyResolution(key, accepted ? account : null);
            }

            // Same 32 hex, another -dc suffix: Mailchimp's "wrong datacenter" case. Named, never accepted.
            var dash = presented.LastIndexOf('-');
            return dash > 0 && _marketingBySecretPart.TryGetValue(presented[..dash], out var sibling)
                ? new KeyResolution(sibling, null)
                : KeyResolution.Unknown;
        }
    }

    internal KeyResolution ResolveTransactionalKey(string presented)
    {
        lock (_sync)
        {
            if (!_keysBySecret.TryGetValue(presented, out var key))
            {
                return KeyResolution.Unknown;
            }

            var accepted = key.IsActive && key.Kind == SandboxKeyKind.Transactional;
            return new KeyResolution(key, accepted ? _accounts[key.AccountId] : null);
        }
    }

    /// <summary>Counts a request in flight for a key; false (and nothing counted) when the key is at its limit.</summary>
    internal bool TryEnterInFlight(string keyId, int limit)
    {
        var counter = _inFlight.GetOrAdd(keyId, static _ => new StrongBox<int>());
        if (Interlocked.Increment(ref counter.Value) <= limit)
        {
            return true;
        }

        Interlocked.Decrement(ref counter.Value);
        return false;
    }

    internal void ExitInFlight(string keyId)
    {
        if (_inFlight.TryGetValue(keyId, out var counter))
        {
            Interlocked.Decrement(ref counter.Value);
        }
    }

    internal void Record(RecordedRequest request)
    {
        lock (_sync)
        {
            _requests.Enqueue(request);
            while (_requests.Count > MaxRecordedRequests)
            {
                _requests.Dequeue();
            }
        }
    }

    internal void RecordSent(SentMessage message)
    {
        lock (_sync)
        {
            _sentMessages.Add(message);
        }
    }

    internal void AddBatch(BatchRecord batch)
    {
        lock (_sync)
        {
            _batches[batch.Id] = batch;
        }
    }

    internal void RemoveBatch(string batchId)
    {
        lock (_sync)
        {
            _batches.Remove(batchId);
        }
    }

    internal BatchRecord? FindBatch(string batchId)
    {
        lock (_sync)
        {
            return _batches.GetValueOrDefault(batchId);
        }
    }

    private KeyRecord FindKey(string keyId)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        return _keysById.TryGetValue(keyId, out var key) ? key : throw new SandboxException($"No key '{keyId}'.", isNotFound: true);
    }

    private void OnHoldReleased(RequestHold hold)
    {
        lock (_sync)
        {
            if (ReferenceEquals(_hold, hold))
            {
                _hold = null;
            }
        }
    }

    private static string Slug(string name)
    {
        var slug = new string([.. name.Trim().ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]).Trim('-');
        return slug.Length == 0 ? "account" : slug;
    }

    [GeneratedRegex("^us[0-9]{1,2}$", RegexOptions.CultureInvariant)]
    private static partial Regex DatacenterPattern();
}
