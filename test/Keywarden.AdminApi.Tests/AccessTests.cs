using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Keywarden.Core.Operators;

namespace Keywarden.AdminApi.Tests;

/// <summary>
/// Default deny, proven from the OpenAPI document: every operation it lists declares a role, refuses an anonymous caller
/// (401), refuses the role just below its own (403 role_too_low), and, where it needs step-up, refuses its own role
/// without a fresh one (403 step_up_required).
/// </summary>
public sealed partial class AccessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryOperation_RefusesAnonymous_TheRoleBelow_AndAStaleStepUp()
    {
        await using var host = await AdminApiHost.StartAsync();
        var operations = await OperationsAsync(host);
        Assert.True(operations.Count >= 31, $"the document lists only {operations.Count} operations");

        foreach (var (method, path, role, stepUp) in operations)
        {
            var concrete = Parameter().Replace(path, "tok_000000000000");
            Assert.NotEqual("undeclared", role);
            if (role == "anonymous")
            {
                // The doors without a token: a login, and an invitation's redemption and enrolment (the code, then the
                // password, is the credential).
                Assert.Contains($"{method} {path}", (string[])["POST /v1/auth/login", "POST /v1/auth/join", "POST /v1/auth/join/confirm"]);
                continue;
            }

            await ExpectRefusalAsync(host, method, concrete, token: null, HttpStatusCode.Unauthorized, "unauthenticated");
            await ExpectRefusalAsync(host, method, concrete, token: "not-a-known-token-FAKE", HttpStatusCode.Unauthorized, "unauthenticated");
            var needed = Parse(role);
            if (needed > OperatorRole.Viewer)
            {
                await ExpectRefusalAsync(host, method, concrete, TestAuthenticator.TokenOf(needed - 1, steppedUp: true), HttpStatusCode.Forbidden, "role_too_low");
            }

            if (stepUp)
            {
                await ExpectRefusalAsync(host, method, concrete, TestAuthenticator.TokenOf(needed, steppedUp: false), HttpStatusCode.Forbidden, "step_up_required");
            }
        }
    }

    [Fact]
    public async Task TheDocument_DeclaresTheRolesOfTheBrief()
    {
        await using var host = await AdminApiHost.StartAsync();
        var operations = (await OperationsAsync(host)).ToDictionary(o => $"{o.Method} {o.Path}", o => (o.Role, o.StepUp));
        Assert.Equal(("viewer", false), operations["GET /v1/tokens"]);
        Assert.Equal(("operator", false), operations["POST /v1/tokens"]);
        Assert.Equal(("admin", true), operations["POST /v1/upstreams"]);
        Assert.Equal(("admin", true), operations["DELETE /v1/upstreams/{name}"]);
        Assert.Equal(("operator", false), operations["POST /v1/alerts/{id}/ack"]);
        Assert.Equal(("viewer", false), operations["GET /v1/audit/export"]);
        Assert.Equal(("viewer", false), operations["GET /v1/rotations"]);
        Assert.Equal(("operator", false), operations["POST /v1/rotations/{upstream}/start"]);
        Assert.Equal(("operator", true), operations["POST /v1/rotations/{upstream}/submit"]);
        Assert.Equal(("operator", true), operations["POST /v1/rotations/{upstream}/confirm"]);
        Assert.Equal(("operator", false), operations["POST /v1/rotations/{upstream}/abort"]);
        Assert.Equal(("viewer", false), operations["GET /v1/sinks"]);
        Assert.Equal(("admin", true), operations["POST /v1/sinks"]);
        Assert.Equal(("admin", true), operations["DELETE /v1/sinks/{id}"]);
    }

    [Fact]
    public async Task IssuingATokenWithoutPathLimits_NeedsAFreshStepUp_EvenForAnOperator()
    {
        await using var host = await AdminApiHost.StartAsync();
        var unlimited = new { upstream = "news", name = "billing" };
        using var refused = await host.SendAsync(HttpMethod.Post, "/v1/tokens", TestAuthenticator.Operator, unlimited);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("step_up_required", (await ProblemCodeAsync(refused)));

        var neverExpiring = new { upstream = "news", name = "billing", paths = new[] { "/lists/**" }, no_expiry = true };
        using var refusedToo = await host.SendAsync(HttpMethod.Post, "/v1/tokens", TestAuthenticator.Operator, neverExpiring);
        Assert.Equal("step_up_required", (await ProblemCodeAsync(refusedToo)));

        var issued = await host.JsonAsync(HttpMethod.Post, "/v1/tokens", TestAuthenticator.OperatorSteppedUp, unlimited, HttpStatusCode.Created);
        Assert.StartsWith("kw_", issued.GetProperty("token").GetString(), StringComparison.Ordinal);
        var limited = await host.JsonAsync(
            HttpMethod.Post, "/v1/tokens", TestAuthenticator.Operator, new { upstream = "news", name = "lists", paths = new[] { "/lists/**" } }, HttpStatusCode.Created);
        Assert.Equal("/lists/**", limited.GetProperty("policy").GetProperty("paths")[0].GetString());
    }

    private static async Task ExpectRefusalAsync(AdminApiHost host, string method, string path, string? token, HttpStatusCode status, string code)
    {
        using var response = await host.SendAsync(new HttpMethod(method), path, token, method is "POST" or "PUT" or "PATCH" ? new { } : null);
        Assert.True(response.StatusCode == status, $"{method} {path} as {token ?? "anonymous"}: expected {(int)status}, got {(int)response.StatusCode}");
        Assert.Equal(code, await ProblemCodeAsync(response));
    }

    internal static async Task<string?> ProblemCodeAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return problem.RootElement.GetProperty("code").GetString();
    }

    private static async Task<List<(string Method, string Path, string Role, bool StepUp)>> OperationsAsync(AdminApiHost host)
    {
        using var document = JsonDocument.Parse(await host.Client.GetStringAsync(new Uri("v1/openapi.json", UriKind.Relative), Ct));
        var operations = new List<(string, string, string, bool)>();
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "patch" or "delete"))
            {
                var role = operation.Value.TryGetProperty("x-keywarden-role", out var r) ? r.GetString()! : "undeclared";
                var stepUp = operation.Value.TryGetProperty("x-keywarden-step-up", out var s) && s.GetBoolean();
                operations.Add((operation.Name.ToUpperInvariant(), path.Name, role, stepUp));
            }
        }

        return operations;
    }

    private static OperatorRole Parse(string role) => role switch
    {
        "viewer" => OperatorRole.Viewer,
        "operator" => OperatorRole.Operator,
        "admin" => OperatorRole.Admin,
        _ => throw new InvalidOperationException($"unknown role '{role}'"),
    };

    [GeneratedRegex("\\{[^}]+\\}")]
    private static partial Regex Parameter();
}
