using System.Text.Json.Nodes;

namespace Keywarden.Cli.Remote;

/// <summary>Every token the admin API lists, page after page (<c>GET /v1/tokens?cursor=…</c>), as its listed documents.</summary>
internal static class RemoteTokenList
{
    public static async Task<JsonArray> AllAsync(AdminClient remote, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(remote);
        var tokens = new JsonArray();
        string? cursor = null;
        do
        {
            var page = await remote.GetAsync("v1/tokens" + (cursor is null ? "" : "?cursor=" + Uri.EscapeDataString(cursor)), cancellationToken);
            foreach (var token in page["tokens"]?.AsArray().ToList() ?? [])
            {
                token!.Parent!.AsArray().Remove(token);
                tokens.Add(token);
            }

            cursor = page["next_cursor"]?.GetValue<string>();
        }
        while (cursor is not null);

        return tokens;
    }
}
