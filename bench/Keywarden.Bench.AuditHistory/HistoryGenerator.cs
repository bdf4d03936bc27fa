using Keywarden.Core.Audit;
using Keywarden.Core.Policy;
using Keywarden.Monitoring;

namespace Keywarden.Bench.AuditHistory;

/// <summary>
/// Generates an account's audit history: tokens of every <see cref="Archetype"/> with daily and weekly cycles, cron
/// bursts, nightly syncs and digests, deploys moving hosts inside their network, sporadic upstream errors, rate-limited
/// syncs and stray policy refusals, the internet's background of non-API requests, stray bad and revoked tokens, and
/// the labelled <see cref="Episodes"/>. Seeded and deterministic: the same spec gives the same records.
/// </summary>
internal sealed class HistoryGenerator
{
    private const long HourMs = 3_600_000;
    private const long DayMs = 24 * HourMs;
    private static readonly Archetype[] Mix =
    [
        Archetype.SignupForm, Archetype.CrmSync, Archetype.Reporting, Archetype.CampaignTool, Archetype.Ecommerce, Archetype.TransactionalApp,
        Archetype.Digest, Archetype.LowVolume, Archetype.SignupForm, Archetype.TransactionalApp, Archetype.Ecommerce, Archetype.CrmSync,
    ];

    private readonly Rand _world;
    private readonly long _start;
    private readonly long _end;
    private readonly string[] _strayClients;
    private readonly string _revokedToken;
    private readonly string _revokedClient;

    public HistoryGenerator(HistorySpec spec)
    {
        Spec = spec;
        _start = spec.Start.ToUnixTimeMilliseconds();
        _end = _start + (spec.Weeks * 7 * DayMs);
        var setup = new Rand(spec.Seed);
        for (var i = 0; i < spec.Tokens; i++)
        {
            var late = setup.Chance(0.15);
            var start = _start + (late ? (long)(setup.Uniform(3, 14) * DayMs) : setup.Long(0, 2 * HourMs));
            Tokens.Add(new TokenProfile(i, Mix[i % Mix.Length], start, new Rand((spec.Seed * 7919) + i)));
        }

        _world = new Rand((spec.Seed * 31) + 7);
        _strayClients = Enumerable.Range(0, 10).Select(_ => $"{_world.Int(60, 220)}.{_world.Int(0, 256)}.{_world.Int(0, 256)}.{_world.Int(1, 255)}").ToArray();
        _revokedToken = _world.TokenId();
        _revokedClient = $"{_world.Int(60, 220)}.{_world.Int(0, 256)}.{_world.Int(0, 256)}.{_world.Int(1, 255)}";
        PlanEpisodes(new Rand((spec.Seed * 131) + 3));
    }

    public HistorySpec Spec { get; }

    public List<TokenProfile> Tokens { get; } = [];

    public List<Episode> Episodes { get; } = [];

    /// <summary>Weeks of traffic summed over the tokens (from each one's first request to the end).</summary>
    public double TokenWeeks => Tokens.Sum(t => (_end - t.Start) / (7.0 * DayMs));

    public DateTimeOffset End => DateTimeOffset.FromUnixTimeMilliseconds(_end);

    /// <summary>The records in time order, generated an hour at a time (memory stays bounded).</summary>
    public IEnumerable<GeneratedRecord> Records()
    {
        var pending = new List<GeneratedRecord>();
        var hours = (_end - _start) / HourMs;
        var first = _start / HourMs;
        for (var hour = first; hour < first + hours; hour++)
        {
            foreach (var token in Tokens)
            {
                token.Generate(hour, pending);
            }

            foreach (var episode in Episodes)
            {
                if (episode.Start < (hour + 1) * HourMs && episode.End > hour * HourMs)
                {
                    Attack(episode, hour, pending);
                }
            }

            Background(hour, pending);
            pending.Sort(static (a, b) => a.TimeMs.CompareTo(b.TimeMs));
            var due = (hour + 1) * HourMs;
            var taken = 0;
            while (taken < pending.Count && pending[taken].TimeMs < due)
            {
                yield return pending[taken++];
            }

            pending.RemoveRange(0, taken);
        }

        foreach (var record in pending)
        {
            if (record.TimeMs < _end)
            {
                yield return record;
            }
        }
    }

    private void PlanEpisodes(Rand rand)
    {
        var used = new HashSet<TokenProfile>();
        var id = 0;
        foreach (var kind in Enum.GetValues<EpisodeKind>())
        {
            for (var n = 0; n < Spec.PerKind; n++)
            {
                var candidates = Tokens.Where(t => !used.Contains(t) && Fits(kind, t)).ToList();
                if (kind is not EpisodeKind.TokenGuessing and not EpisodeKind.Decoy && candidates.Count == 0)
                {
                    continue;
                }

                var token = kind is EpisodeKind.TokenGuessing or EpisodeKind.Decoy ? null : rand.Pick(candidates);
                if (token is not null)
                {
                    used.Add(token);
                }

                Episodes.Add(Plan(++id, kind, token, rand));
            }
        }
    }

    private static bool Fits(EpisodeKind kind, TokenProfile token) => kind switch
    {
        EpisodeKind.StolenScrape or EpisodeKind.Destructive => !token.Transactional,
        EpisodeKind.Spam => token.Transactional,
        EpisodeKind.Burst or EpisodeKind.UpstreamRevoked => token.DailyVolume >= 100,
        _ => true,
    };

    private Episode Plan(int id, EpisodeKind kind, TokenProfile? token, Rand rand)
    {
        // After the token's learning period and a week of baseline; by day in the token's time zone.
        var earliest = Math.Max(_start + (9 * DayMs), (token?.Start ?? _start) + (9 * DayMs));
        var day = earliest / DayMs + rand.Long(0, Math.Max(1, ((_end - DayMs) - earliest) / DayMs));
        var localHour = rand.Int(9, 17);
        var start = (day * DayMs) + ((localHour - (token?.TimeZone ?? 0) + 24) % 24 * HourMs) + rand.Long(0, HourMs);
        var attacker = $"{rand.Pick([45, 91, 185, 193, 195])}.{rand.Int(0, 256)}.{rand.Int(0, 256)}.{rand.Int(2, 255)}";
        long Minutes(double min, double max) => (long)(rand.Uniform(min, max) * 60_000);
        return kind switch
        {
            EpisodeKind.StolenScrape => new Episode(id, kind, token!.Id, null, start, start + Minutes(60, 180), [DetectorNames.NewNetwork, DetectorNames.Volume, DetectorNames.NewSurface])
            {
                Token = token, AttackerClient = attacker, Rate = rand.Uniform(300, 2000),
            },
            EpisodeKind.Burst => new Episode(id, kind, token!.Id, null, start, start + Minutes(60, 120), [DetectorNames.Volume])
            {
                Token = token, Rate = 20 * token.BusyHourRate,
            },
            EpisodeKind.TokenGuessing => new Episode(id, kind, null, attacker, start, start + Minutes(5, 30), [DetectorNames.DenialBurst])
            {
                Rate = rand.Uniform(300, 2000) * 2,
            },
            EpisodeKind.Spam => new Episode(id, kind, token!.Id, null, start, start + Minutes(30, 90), [DetectorNames.Sending, DetectorNames.NewNetwork, DetectorNames.Volume, DetectorNames.DenialBurst])
            {
                Token = token, AttackerClient = rand.Chance(0.5) ? attacker : null, Variant = rand.Int(0, 2), Rate = rand.Uniform(60, 300),
            },
            EpisodeKind.Destructive => new Episode(id, kind, token!.Id, null, start, start + Minutes(10, 30), [DetectorNames.NewSurface, DetectorNames.Volume])
            {
                Token = token, Variant = rand.Int(0, 2), Rate = rand.Uniform(60, 400),
            },
            EpisodeKind.NewSurface => new Episode(id, kind, token!.Id, null, start, start + Minutes(10, 60), [DetectorNames.NewSurface])
            {
                Token = token, Rate = rand.Uniform(10, 60),
            },
            EpisodeKind.UpstreamRevoked => Revoked(id, token!, start, start + Minutes(180, 360)),
            _ => new Episode(id, kind, rand.TokenId(), null, start, start + Minutes(1, 10), [DetectorNames.Decoy])
            {
                AttackerClient = attacker, Rate = rand.Uniform(6, 50),
            },
        };
    }

    private static Episode Revoked(int id, TokenProfile token, long start, long end)
    {
        token.Failures.Add((start, end, token.Transactional ? 500 : 401));
        return new Episode(id, EpisodeKind.UpstreamRevoked, token.Id, null, start, end, [DetectorNames.UpstreamErrors]) { Token = token };
    }

    /// <summary>The attack's own requests within <paramref name="hour"/>, at its rate.</summary>
    private void Attack(Episode episode, long hour, List<GeneratedRecord> output)
    {
        if (episode.Kind == EpisodeKind.UpstreamRevoked)
        {
            return; // the token's own traffic fails; nothing added
        }

        var from = Math.Max(episode.Start, hour * HourMs);
        var to = Math.Min(episode.End, (hour + 1) * HourMs);
        var count = Math.Max((int)(episode.Rate * (to - from) / HourMs), from == episode.Start ? 1 : 0);
        var token = episode.Token;
        for (var i = 0; i < count; i++)
        {
            var at = from + ((to - from) * i / Math.Max(1, count));
            switch (episode.Kind)
            {
                case EpisodeKind.StolenScrape:
                    token!.Emit(at, _world.Chance(0.7) ? new Surface("GET", "/lists/{L}/members") : new Surface("GET", "/lists/{L}/members/{M}"), output, episode.AttackerClient, userAgent: "python-requests/2.31.0");
                    break;
                case EpisodeKind.Burst:
                    token!.Emit(at, token.PickSurface(token.Surfaces), output);
                    break;
                case EpisodeKind.TokenGuessing:
                    output.Add(new GeneratedRecord(at, null, null, episode.Client, "GET", "/ping", AuditDecision.Deny, _world.Chance(0.8) ? RuleNames.TokenUnknown : RuleNames.Credential, null, UserAgent: "Go-http-client/1.1"));
                    break;
                case EpisodeKind.Spam when episode.Variant == 0:
                    token!.Emit(at, new Surface("POST", "messages/send"), output, episode.AttackerClient, recipients: _world.Int(50, 400), userAgent: "PHPMailer");
                    break;
                case EpisodeKind.Spam:
                    output.Add(new GeneratedRecord(at, token!.Id, token.UpstreamId, episode.AttackerClient ?? token.Client(), "POST", "messages/send", AuditDecision.Deny, "from-domain", null, _world.Int(1, 50), "promo-deals.example", "PHPMailer"));
                    break;
                case EpisodeKind.Destructive:
                    token!.Emit(at, episode.Variant == 0 ? new Surface("DELETE", "/lists/{L}/members/{M}") : new Surface("POST", "/lists/{L}/members/{M}/actions/delete-permanent"), output);
                    break;
                case EpisodeKind.NewSurface:
                    token!.Emit(at, NewSurfaceFor(token), output);
                    break;
                default:
                    output.Add(new GeneratedRecord(at, episode.TokenId, "up_decoy", episode.AttackerClient, "GET", "/lists", AuditDecision.Deny, "decoy", null, UserAgent: "curl/8.5.0"));
                    break;
            }
        }
    }

    /// <summary>A call this token's app never makes.</summary>
    private static Surface NewSurfaceFor(TokenProfile token)
    {
        Surface[] options = token.Transactional
            ? [new("POST", "exports/activity"), new("POST", "templates/list"), new("POST", "senders/list")]
            : [new("GET", "/lists/{L}/members"), new("POST", "/campaigns/{C}/actions/send"), new("GET", "/automations"), new("POST", "/batches")];
        foreach (var option in options)
        {
            var family = PathFamily.Of(token.Fill(option.Template));
            if (!token.Surfaces.Any(s => s.Method == option.Method && PathFamily.Of(token.Fill(s.Template)) == family))
            {
                return option;
            }
        }

        return options[^1];
    }

    /// <summary>The noise around any gateway: scanners, stray bad tokens, a forgotten cron with a revoked token.</summary>
    private void Background(long hour, List<GeneratedRecord> output)
    {
        var start = hour * HourMs;
        var scans = _world.Poisson(3);
        for (var i = 0; i < scans; i++)
        {
            var client = $"{_world.Int(1, 224)}.{_world.Int(0, 256)}.{_world.Int(0, 256)}.{_world.Int(1, 255)}";
            output.Add(new GeneratedRecord(start + _world.Long(0, HourMs), null, null, client, "GET", _world.Pick(["/wp-login.php", "/.env", "/admin", "/"]), AuditDecision.Deny, RuleNames.NotApi, null, UserAgent: "Mozilla/5.0 zgrab/0.x"));
        }

        var strays = _world.Poisson(0.1);
        for (var i = 0; i < strays; i++)
        {
            output.Add(new GeneratedRecord(start + _world.Long(0, HourMs), null, null, _world.Pick(_strayClients), "POST", "messages/send", AuditDecision.Deny, RuleNames.TokenUnknown, null, UserAgent: "python-requests/2.28.1"));
        }

        if (_world.Chance(0.05))
        {
            output.Add(new GeneratedRecord(start + _world.Long(0, HourMs), null, null, _world.Pick(_strayClients), "GET", "/ping", AuditDecision.Deny, RuleNames.Credential, null, UserAgent: "curl/7.88.1"));
        }

        output.Add(new GeneratedRecord(start + (17 * 60_000), _revokedToken, "up_old", _revokedClient, "GET", "/lists", AuditDecision.Deny, RuleNames.TokenRevoked, null, UserAgent: "node-fetch/1.0"));
    }
}
