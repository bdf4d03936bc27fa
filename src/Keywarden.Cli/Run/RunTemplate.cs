using Keywarden.Core.Tokens;

namespace Keywarden.Cli.Run;

/// <summary>
/// Which token a <c>keywarden run --token NAME|ID</c> copies, by the same rules whether the tokens come from the vault or
/// the admin API: by id, or the one usable token of that name; a name two usable tokens share is refused.
/// </summary>
internal static class RunTemplate
{
    /// <summary>The longest token name the vault takes.</summary>
    private const int MaxNameLength = 100;

    /// <summary>The template among <paramref name="tokens"/>, described by <paramref name="describe"/> as (id, name, state).</summary>
    public static T Choose<T>(IReadOnlyList<T> tokens, string template, Func<T, (string Id, string Name, string State)> describe)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(describe);
        var described = tokens.Select(t => (Token: t, About: describe(t))).ToList();
        (T Token, (string Id, string Name, string State) About) chosen;
        if (AccessorId.IsValid(template))
        {
            chosen = described.FirstOrDefault(t => t.About.Id == template);
            if (chosen.About.Id is null)
            {
                throw new CliException($"no token has the id {template} (see 'keywarden token list')");
            }
        }
        else
        {
            var named = described.Where(t => string.Equals(t.About.Name, template, StringComparison.Ordinal)).ToList();
            var usable = named.Where(t => Usable(t.About.State)).ToList();
            chosen = usable.Count switch
            {
                1 => usable[0],
                0 when named.Count > 0 => named[0],
                0 => throw new CliException($"no token is named '{template}' (see 'keywarden token list')"),
                _ => throw new CliException(
                    $"{usable.Count} active tokens are named '{template}': name the template by its id ({string.Join(", ", usable.Select(t => t.About.Id))})"),
            };
        }

        return Usable(chosen.About.State)
            ? chosen.Token
            : throw new CliException(
                $"token {chosen.About.Id} ('{chosen.About.Name}') is {chosen.About.State}: only an active token can be the template of a run");
    }

    /// <summary>The expiry of the run's token: the run's end, or the template's expiry when that comes first.</summary>
    public static DateTimeOffset Until(DateTimeOffset? templateExpiry, DateTimeOffset runEnd) =>
        templateExpiry is { } expires && expires < runEnd ? expires : runEnd;

    /// <summary>The token's name in the list and the audit log, within the vault's length limit.</summary>
    public static string Named(string name) => name.Length <= MaxNameLength ? name : name[..MaxNameLength];

    /// <summary>Active, or rotated and still in its grace period; never a decoy, a suspended, expired or revoked token.</summary>
    private static bool Usable(string state) => state is "active" or "grace";
}
