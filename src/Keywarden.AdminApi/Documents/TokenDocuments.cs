using Keywarden.Application;
using Keywarden.Core.Monitoring;
using Keywarden.Storage;

namespace Keywarden.AdminApi.Documents;

/// <summary>Tokens as <c>token … --json</c> prints them and the admin API answers.</summary>
public static class TokenDocuments
{
    /// <summary>The fields of an issued token's document, which the CLI's <c>--field</c> can print alone.</summary>
    public static readonly IReadOnlyList<string> IssuedFields = ["id", "token", "name", "upstream", "created_at", "policy"];

    /// <summary>One token in <c>token list</c> and <c>token show</c>.</summary>
    public static object Listed(TokenView token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return new
        {
            id = token.Record.Id,
            name = token.Record.Name,
            upstream = token.UpstreamName,
            state = token.State,
            created_at = token.Record.CreatedAt,
            revoked_at = token.Record.RevokedAt,
            superseded_by = token.Record.SupersededBy,
            decoy = token.Record.Decoy,
            suspended = Suspension(token.Record),
            on_anomaly = token.Record.OnAnomaly is { } response ? AnomalyWord(response) : null,
            policy = token.Record.Policy,
        };
    }

    /// <summary>
    /// A token just issued, the one time its secret is shown (<c>token issue</c>, <c>token decoy</c>, <c>token rotate</c>);
    /// for a rotation, which token it succeeds.
    /// </summary>
    public static Dictionary<string, object?> Issued(IssuedToken issued, TokenRecord? previous)
    {
        ArgumentNullException.ThrowIfNull(issued);
        var fields = new Dictionary<string, object?>
        {
            ["id"] = issued.Record.Id,
            ["token"] = issued.Token.Value,
            ["name"] = issued.Record.Name,
            ["upstream"] = issued.UpstreamName,
            ["created_at"] = issued.Record.CreatedAt,
            ["policy"] = issued.Record.Policy,
        };
        if (issued.Record.Decoy)
        {
            fields["decoy"] = true;
        }

        if (issued.Record.OnAnomaly is { } response)
        {
            fields["on_anomaly"] = AnomalyWord(response);
        }

        if (previous is not null)
        {
            fields["successor_of"] = new { id = previous.Id, expires_at = previous.Policy.ExpiresAt, revoked_at = previous.RevokedAt };
        }

        return fields;
    }

    /// <summary>A suspension or resumption: whether it changed anything, and the state now.</summary>
    public static object Suspended(SuspensionChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new { id = change.Token.Record.Id, changed = change.Changed, state = change.Token.State, suspended = Suspension(change.Token.Record) };
    }

    /// <summary>A resumption: whether it changed anything, and the state now.</summary>
    public static object Resumed(SuspensionChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return new { id = change.Token.Record.Id, changed = change.Changed, state = change.Token.State };
    }

    /// <summary>What an anomaly alert about the token does now (<c>token on-anomaly --json</c>); null: the server's default.</summary>
    public static object OnAnomaly(SuspensionChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var token = change.Token.Record;
        return new { id = token.Id, changed = change.Changed, on_anomaly = token.OnAnomaly is { } set ? AnomalyWord(set) : null };
    }

    /// <summary>A revocation.</summary>
    public static object Revoked(string id) => new { id, revoked = true };

    /// <summary>When and why a token is held, or null.</summary>
    public static object? Suspension(TokenRecord token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token.Suspension is { } suspension ? new { since = suspension.At, reason = suspension.Reason } : null;
    }

    /// <summary>An anomaly response as stored and shown: alert or suspend.</summary>
    public static string AnomalyWord(AnomalyResponse response) => response == AnomalyResponse.Suspend ? "suspend" : "alert";
}
