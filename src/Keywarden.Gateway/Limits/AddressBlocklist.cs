using System.Collections.Concurrent;
using System.Net;

namespace Keywarden.Gateway.Limits;

/// <summary>
/// Client addresses that used a decoy token, each refused for <see cref="GatewayOptions.DecoyBlock"/> from its last decoy
/// use. Bounded: past <see cref="GatewayOptions.DecoyBlockCapacity"/> addresses the oldest block is dropped, so a flood of
/// decoy uses from many addresses costs a fixed amount of memory. Kept in memory only: a restart forgets the blocks, which
/// the audit log and the anomaly monitor still know of. Addresses are compared as <see cref="Auth.ClientAddressResolver"/>
/// gives them (an IPv4 client seen over IPv6 already mapped back to IPv4).
/// </summary>
/// <remarks>
/// The request path pays one volatile read while nothing is blocked (the normal case), and a lock-free dictionary read
/// otherwise. Blocking and eviction take a lock; they happen once per decoy use.
/// </remarks>
internal sealed class AddressBlocklist
{
    private readonly TimeSpan _duration;
    private readonly int _capacity;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<IPAddress, DateTimeOffset> _until = new();
    private readonly Queue<(IPAddress Address, DateTimeOffset Until)> _order = new();
    private readonly Lock _gate = new();
    private volatile int _count;

    public AddressBlocklist(TimeSpan duration, int capacity, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _duration = duration;
        _capacity = capacity;
        _time = time;
    }

    /// <summary>False when blocking is off (a zero duration).</summary>
    public bool Enabled => _duration > TimeSpan.Zero;

    /// <summary>How many addresses are held now, expired ones not yet dropped included.</summary>
    public int Count => _count;

    /// <summary>True while <paramref name="address"/> is blocked.</summary>
    public bool IsBlocked(IPAddress address)
    {
        if (_count == 0)
        {
            return false;
        }

        return _until.TryGetValue(address, out var until) && _time.GetUtcNow() < until;
    }

    /// <summary>
    /// Blocks <paramref name="address"/> from now for the configured duration (a block already running is extended), and
    /// returns when it ends; null when blocking is off or the address is unknown (<see cref="IPAddress.None"/>).
    /// </summary>
    public DateTimeOffset? Block(IPAddress address)
    {
        if (!Enabled || address.Equals(IPAddress.None))
        {
            return null;
        }

        var now = _time.GetUtcNow();
        var until = now + _duration;
        lock (_gate)
        {
            // Each blocked address has one entry in the queue, in the order it was first blocked. Expired blocks are dropped
            // first (one extended since goes back in line with its new end), then the oldest while the list is full.
            while (_order.Count > 0)
            {
                var (oldest, end) = _order.Peek();
                var full = _until.Count >= _capacity && !_until.ContainsKey(address);
                if (end > now && !full)
                {
                    break;
                }

                _order.Dequeue();
                if (!full && _until.TryGetValue(oldest, out var current) && current > now)
                {
                    _order.Enqueue((oldest, current));
                    continue;
                }

                _until.TryRemove(oldest, out _);
            }

            if (!_until.ContainsKey(address))
            {
                _order.Enqueue((address, until));
            }

            _until[address] = until;
            _count = _until.Count;
        }

        return until;
    }
}
