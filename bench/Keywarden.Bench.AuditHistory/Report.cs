using System.Globalization;
using System.Text;

namespace Keywarden.Bench.AuditHistory;

/// <summary>A score as the markdown tables of <c>bench/results/monitor.md</c>.</summary>
internal static class Report
{
    public static string Markdown(Score score)
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine("| measure | result | target |");
        text.AppendLine("|---|---|---|");
        text.AppendLine(inv, $"| episodes detected | {score.Detected} / {score.Episodes} ({score.DetectionRate:P1}) | ≥ 95 % |");
        text.AppendLine(inv, $"| false alerts | {score.FalseAlerts} in {score.TokenWeeks:0} token-weeks ({score.FalsePer100TokenWeeks:0.00} per 100) | ≤ 1 per 100 token-weeks |");
        text.AppendLine(inv, $"| median delay, episode start → alert | {Delay(score.MedianDelay)} | |");
        text.AppendLine(inv, $"| alerts raised | {score.Alerts} | |");
        text.AppendLine();
        text.AppendLine("| episode kind | detected | median delay |");
        text.AppendLine("|---|---|---|");
        foreach (var (kind, (detected, total, delay)) in score.DetectedByKind.OrderBy(k => k.Key))
        {
            text.AppendLine(inv, $"| {kind} | {detected} / {total} | {(delay is { } d ? Delay(d) : "-")} |");
        }

        if (score.Missed.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Missed: " + string.Join(", ", score.Missed));
        }

        if (score.FalseAlertList.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("False alerts:");
            foreach (var a in score.FalseAlertList)
            {
                text.AppendLine(inv, $"- {a.FirstTime:yyyy-MM-dd HH:mm} {a.Severity} {a.Detector} {a.TokenId ?? a.Client}: {a.Why}");
            }
        }

        return text.ToString();
    }

    private static string Delay(TimeSpan delay) => delay.TotalSeconds < 1 ? "< 1 s" : delay.TotalMinutes < 2
        ? $"{delay.TotalSeconds:0} s"
        : $"{delay.TotalMinutes:0.#} min";
}
