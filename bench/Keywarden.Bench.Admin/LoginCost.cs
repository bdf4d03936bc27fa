using System.Diagnostics;
using Keywarden.Application;

namespace Keywarden.Bench;

/// <summary>
/// Times <see cref="OperatorService.LoginAsync"/> in-process: right logins (a fresh TOTP step each, through the fake
/// clock), a wrong password and an unknown name. Failures come from a new client address each, so the per-address limit
/// never answers before the password check; the account lock after 10 wrong passwords still hashes (as the service does).
/// </summary>
internal static class LoginCost
{
    public static async Task<(LatencyStats Right, LatencyStats WrongPassword, LatencyStats UnknownName)> MeasureAsync(
        AdminBenchHost host, int count, CancellationToken ct)
    {
        var right = new List<double>();
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var code = host.NextTotpCode();
            var t = Stopwatch.GetTimestamp();
            var session = await host.Operators.LoginAsync(AdminBenchHost.AdminName, host.Password, code, new AdminActor(AdminBenchHost.AdminName, "127.0.0.1"), ct);
            right.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            await host.Operators.LogoutAsync(session.Token, AdminActor.Local, ct);
        }

        var rightStats = LatencyStats.From(right, Stopwatch.GetElapsedTime(start));
        var wrong = await FailuresAsync(host, AdminBenchHost.AdminName, "not-the-password-" + Guid.NewGuid().ToString("N"), count, 1, ct);
        var unknown = await FailuresAsync(host, "nobody-here", host.Password, count, 2, ct);
        return (rightStats, wrong, unknown);
    }

    private static async Task<LatencyStats> FailuresAsync(AdminBenchHost host, string name, string password, int count, int subnet, CancellationToken ct)
    {
        var samples = new List<double>();
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var code = host.NextTotpCode();
            var t = Stopwatch.GetTimestamp();
            try
            {
                await host.Operators.LoginAsync(name, password, code, new AdminActor(name, $"10.{subnet}.0.{i + 1}"), ct);
                throw new InvalidOperationException("a login that must fail succeeded");
            }
            catch (VaultException exception) when (exception.Code == VaultErrorCode.LoginFailed)
            {
                samples.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }
        }

        return LatencyStats.From(samples, Stopwatch.GetElapsedTime(start));
    }
}
