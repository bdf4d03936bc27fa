using Keywarden.Core.Operators;
using Microsoft.AspNetCore.Builder;

namespace Keywarden.AdminApi.Auth;

/// <summary>Declares an endpoint's <see cref="AdminAccess"/>.</summary>
internal static class AdminAccessExtensions
{
    /// <summary>The endpoint needs <paramref name="role"/> or higher, and a fresh step-up when <paramref name="stepUp"/>.</summary>
    public static TBuilder Requires<TBuilder>(this TBuilder builder, OperatorRole role, bool stepUp = false)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AdminAccess(role, stepUp));

    /// <summary>Anyone may call the endpoint, without a token.</summary>
    public static TBuilder Anonymous<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AdminAccess(null, false));
}
