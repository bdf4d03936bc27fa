using Keywarden.AdminApi.Auth;
using Keywarden.Core.Operators;

namespace Keywarden.AdminApi.Tests;

/// <summary>Fixed bearer tokens for each kind of caller (FAKE values: no real secret), until operator accounts sign people in.</summary>
internal sealed class TestAuthenticator : IAdminAuthenticator
{
    public const string Viewer = "viewer-token-FAKE";
    public const string Operator = "operator-token-FAKE";
    public const string OperatorSteppedUp = "operator-stepped-token-FAKE";
    public const string Admin = "admin-token-FAKE";
    public const string AdminSteppedUp = "admin-stepped-token-FAKE";
    public const string Machine = "machine-token-FAKE";

    private static readonly Dictionary<string, AdminPrincipal> Principals = new(StringComparer.Ordinal)
    {
        [Viewer] = new("vera", OperatorRole.Viewer, IsMachine: false, HasRecentStepUp: false),
        [Operator] = new("otto", OperatorRole.Operator, IsMachine: false, HasRecentStepUp: false),
        [OperatorSteppedUp] = new("otto", OperatorRole.Operator, IsMachine: false, HasRecentStepUp: true),
        [Admin] = new("ada", OperatorRole.Admin, IsMachine: false, HasRecentStepUp: false),
        [AdminSteppedUp] = new("ada", OperatorRole.Admin, IsMachine: false, HasRecentStepUp: true),
        [Machine] = new("ci", OperatorRole.Operator, IsMachine: true, HasRecentStepUp: false),
    };

    public ValueTask<AdminPrincipal?> AuthenticateAsync(string bearerToken, string? clientAddress, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Principals.GetValueOrDefault(bearerToken));

    /// <summary>A token of <paramref name="role"/>, with a fresh step-up or without.</summary>
    public static string TokenOf(OperatorRole role, bool steppedUp) => (role, steppedUp) switch
    {
        (OperatorRole.Viewer, _) => Viewer,
        (OperatorRole.Operator, false) => Operator,
        (OperatorRole.Operator, true) => OperatorSteppedUp,
        (OperatorRole.Admin, false) => Admin,
        _ => AdminSteppedUp,
    };
}
