using Keywarden.Core.Keys;
using Keywarden.Core.Tokens;

namespace Keywarden.Cli.Infrastructure;

/// <summary>
/// Refuses secrets on the command line before anything parses (and could echo) them: argv is
/// visible to every user through <c>ps</c> and stays in shell history.
/// </summary>
internal static class SecretArgumentGuard
{
    private static readonly string[] SecretOptions = ["--key", "--api-key", "--apikey", "--token", "--secret", "--master-key"];

    private const string Why = "arguments are visible to other users in 'ps' and stay in shell history";

    /// <summary>For an API key on the command line: where keys go in.</summary>
    public const string KeyAdvice =
        "refusing an API key on the command line: " + Why + ". "
        + "Pass it on stdin (keywarden upstream add NAME --kind marketing < key.txt; keywarden rotate submit NAME < key.txt) or with --key-file PATH";

    /// <summary>For a gateway token on the command line: tokens are named by their id, or read from stdin.</summary>
    public const string TokenAdvice =
        "refusing a gateway token on the command line: " + Why + ". "
        + "Name a token by its id (tok_…, see 'keywarden token list'), or pass the token itself on stdin: keywarden token revoke - < token.txt";

    /// <summary>For an option that would carry a secret (<c>--key</c>, <c>--token</c>…).</summary>
    public static string OptionAdvice(string option) =>
        $"refusing {option}: secrets are never taken from arguments ({Why}). Pass it on stdin or, for a key, with --key-file PATH";

    /// <summary>For <c>--token</c> with a secret or nothing: a token's id or name is all an option takes.</summary>
    public const string TokenOptionAdvice =
        "refusing --token: it takes a token's id (tok_…, see 'keywarden token list') or name, never the token itself (" + Why + ")";

    /// <summary>
    /// The option that names a token by its public id (<c>alerts list --token tok_…</c>) or its name (<c>run --token billing</c>):
    /// refused with anything that looks like a token (<c>kw_…</c>, even with a wrong checksum) or a key, or with nothing.
    /// </summary>
    private const string TokenIdOption = "--token";

    /// <summary>Returns the refusal message, or null when no argument looks like a secret. Never echoes the argument.</summary>
    public static string? Check(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var name = arg;
            var value = arg;
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && equals > 0)
            {
                name = arg[..equals];
                value = arg[(equals + 1)..];
            }

            if (string.Equals(name, TokenIdOption, StringComparison.Ordinal))
            {
                var named = (equals > 0 ? value : i + 1 < args.Count ? args[i + 1] : "").AsSpan().Trim();
                if (named.IsEmpty || named.StartsWith(GatewayToken.Prefix, StringComparison.OrdinalIgnoreCase) || LooksLikeSecret(named))
                {
                    return TokenOptionAdvice;
                }

                continue;
            }

            if (SecretOptions.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                return OptionAdvice(name.ToLowerInvariant());
            }

            var text = value.AsSpan().Trim();
            if (GatewayToken.IsValid(text) || GatewayToken.TryParsePresented(text, out _))
            {
                return TokenAdvice;
            }

            if (LooksLikeSecret(text))
            {
                return KeyAdvice;
            }
        }

        return null;
    }

    internal static bool LooksLikeSecret(ReadOnlySpan<char> text)
    {
        if (MarketingKey.TryGetDatacenter(text, out _) || GatewayToken.IsValid(text) || GatewayToken.TryParsePresented(text, out _))
        {
            return true;
        }

        if (text.StartsWith(TransactionalKey.MdPrefix, StringComparison.Ordinal) && TransactionalKey.IsValid(text))
        {
            return true;
        }

        // A classic 22-character Transactional key: only when it mixes digits, upper and lower case,
        // so that ordinary names of that length are not mistaken for keys.
        return TransactionalKey.IsValid(text)
            && text.ContainsAnyInRange('0', '9') && text.ContainsAnyInRange('A', 'Z') && text.ContainsAnyInRange('a', 'z');
    }
}
