using Keywarden.AdminApi.Auth;
using Keywarden.AdminApi.Documents;
using Keywarden.AdminApi.Endpoints.Requests;
using Keywarden.AdminApi.Errors;
using Keywarden.AdminApi.Hosting;
using Keywarden.Core.Monitoring;
using Keywarden.Core.Operators;
using Keywarden.Core.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Keywarden.AdminApi.Endpoints;

/// <summary><c>/v1/tokens</c>: list and show (viewer); issue, revoke, suspend, resume, rotate (operator).</summary>
internal static class TokenEndpoints
{
    /// <summary>The most tokens one page lists.</summary>
    public const int MaxPage = 1000;

    /// <summary>How long a token issued without a stated expiry lives, as with <c>token issue</c>.</summary>
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(90);

    public static void Map(IEndpointRouteBuilder api)
    {
        var tokens = api.MapGroup("/tokens").WithTags("tokens");
        tokens.MapGet("/", ListAsync).WithName("ListTokens").Requires(OperatorRole.Viewer);
        tokens.MapGet("/{id}", async (string id, HttpContext http, AdminApiContext api, CancellationToken ct) =>
                AdminApiContext.Document(TokenDocuments.Listed(await api.Vault.TokensFor(http.Actor()).FindAsync(id, ct))))
            .WithName("ShowToken").Requires(OperatorRole.Viewer);
        tokens.MapPost("/", IssueAsync).WithName("IssueToken").Requires(OperatorRole.Operator);
        tokens.MapPost("/decoys", async (DecoyRequest body, HttpContext http, AdminApiContext api, CancellationToken ct) =>
            {
                var issued = await api.Vault.TokensFor(http.Actor()).IssueDecoyAsync(body.Upstream ?? "", body.Name ?? "", ct);
                return AdminApiContext.Document(TokenDocuments.Issued(issued, previous: null), StatusCodes.Status201Created);
            })
            .WithName("IssueDecoyToken").Requires(OperatorRole.Operator);
        tokens.MapPost("/{id}/on-anomaly", async (string id, OnAnomalyRequest body, HttpContext http, AdminApiContext api, CancellationToken ct) =>
            {
                AnomalyResponse? response = body.Response switch
                {
                    "alert" => AnomalyResponse.Alert,
                    "suspend" => AnomalyResponse.Suspend,
                    "default" => null,
                    _ => throw new AdminApiException(AdminProblem.BadRequest("response is alert, suspend or default")),
                };
                var change = await api.Vault.TokensFor(http.Actor()).SetOnAnomalyAsync(id, response, ct);
                return AdminApiContext.Document(TokenDocuments.OnAnomaly(change));
            })
            .WithName("SetTokenOnAnomaly").Requires(OperatorRole.Operator);
        tokens.MapPost("/{id}/revoke", async (string id, HttpContext http, AdminApiContext api, CancellationToken ct) =>
            {
                await api.Vault.TokensFor(http.Actor()).RevokeAsync(id, ct);
                return AdminApiContext.Document(TokenDocuments.Revoked(id));
            })
            .WithName("RevokeToken").Requires(OperatorRole.Operator);
        tokens.MapPost("/{id}/suspend", async (string id, SuspendTokenRequest body, HttpContext http, AdminApiContext api, CancellationToken ct) =>
                AdminApiContext.Document(TokenDocuments.Suspended(await api.Vault.TokensFor(http.Actor()).SuspendAsync(id, body.Reason, cancellationToken: ct))))
            .WithName("SuspendToken").Requires(OperatorRole.Operator);
        tokens.MapPost("/{id}/resume", async (string id, HttpContext http, AdminApiContext api, CancellationToken ct) =>
                AdminApiContext.Document(TokenDocuments.Resumed(await api.Vault.TokensFor(http.Actor()).ResumeAsync(id, cancellationToken: ct))))
            .WithName("ResumeToken").Requires(OperatorRole.Operator);
        tokens.MapPost("/{id}/rotate", async (string id, RotateTokenRequest? body, HttpContext http, AdminApiContext api, CancellationToken ct) =>
            {
                var grace = TimeSpan.FromSeconds(body?.GraceSeconds ?? (long)TimeSpan.FromHours(24).TotalSeconds);
                var rotated = await api.Vault.TokensFor(http.Actor()).RotateAsync(id, grace, ct);
                return AdminApiContext.Document(TokenDocuments.Issued(rotated.Successor, rotated.Retired), StatusCodes.Status201Created);
            })
            .WithName("RotateToken").Requires(OperatorRole.Operator);
    }

    /// <summary>A page of tokens, newest first: <c>?limit</c> (default and most 1000) after <c>?cursor</c> (the last id of the previous page).</summary>
    private static async Task<IResult> ListAsync(int? limit, string? cursor, HttpContext http, AdminApiContext api, CancellationToken ct)
    {
        var size = limit ?? MaxPage;
        if (size is < 1 or > MaxPage)
        {
            throw new AdminApiException(AdminProblem.BadRequest($"limit must be 1 to {MaxPage}"));
        }

        // One more than the page tells whether another page follows, without counting the rest.
        var read = await api.Vault.TokensFor(http.Actor()).ListPageAsync(cursor, size + 1, ct)
            ?? throw new AdminApiException(AdminProblem.BadRequest("unknown cursor: pass the next_cursor of the previous page"));
        var page = read.Count > size ? read.Take(size).ToList() : read;
        var next = read.Count > size ? page[^1].Record.Id : null;
        return AdminApiContext.Document(new { tokens = page.Select(TokenDocuments.Listed), next_cursor = next });
    }

    private static async Task<IResult> IssueAsync(IssueTokenRequest body, HttpContext http, AdminApiContext api, CancellationToken ct)
    {
        var now = api.Time.GetUtcNow();
        if (body.NoExpiry && body.ExpiresAt is not null)
        {
            throw new AdminApiException(AdminProblem.BadRequest("expires_at and no_expiry contradict each other"));
        }

        var policy = new TokenPolicy
        {
            ReadOnly = body.ReadOnly,
            Paths = body.Paths ?? [],
            Methods = body.Methods ?? [],
            Cidrs = body.Cidrs ?? [],
            Origins = body.Origins ?? [],
            ExpiresAt = body.NoExpiry ? null : body.ExpiresAt ?? now + DefaultLifetime,
            NotBefore = body.NotBefore,
            Rate = body.Rate,
            FromDomains = body.FromDomains ?? [],
            MaxRecipients = body.MaxRecipients,
            DailyQuota = body.DailyQuota,
        };

        // A token that may call every path or never expires is the next thing to a key: it needs a fresh second factor.
        if ((policy.ExpiresAt is null || (policy.Paths.Count == 0 && policy.Methods.Count == 0)) && !http.Principal().HasRecentStepUp)
        {
            throw new AdminApiException(AdminProblem.StepUpRequired("issuing a token without path limits or without expiry"));
        }

        var onAnomaly = body.OnAnomaly switch
        {
            null => (AnomalyResponse?)null,
            "alert" => AnomalyResponse.Alert,
            "suspend" => AnomalyResponse.Suspend,
            _ => throw new AdminApiException(AdminProblem.BadRequest("on_anomaly is alert or suspend")),
        };
        var issued = await api.Vault.TokensFor(http.Actor()).IssueAsync(body.Upstream, body.Name, policy, onAnomaly, ct);
        return AdminApiContext.Document(TokenDocuments.Issued(issued, previous: null), StatusCodes.Status201Created);
    }
}
