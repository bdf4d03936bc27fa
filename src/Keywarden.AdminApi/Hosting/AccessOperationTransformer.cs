using System.Text.Json.Nodes;
using Keywarden.AdminApi.Auth;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Keywarden.AdminApi.Hosting;

/// <summary>
/// Writes each operation's <see cref="AdminAccess"/> into the OpenAPI document: <c>x-keywarden-role</c> (viewer, operator,
/// admin, anonymous, or <c>undeclared</c>) and <c>x-keywarden-step-up</c> (true/false).
/// </summary>
internal sealed class AccessOperationTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var access = context.Description.ActionDescriptor.EndpointMetadata.OfType<AdminAccess>().LastOrDefault();
        operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        operation.Extensions["x-keywarden-role"] = new JsonNodeExtension(JsonValue.Create(access?.RoleWord ?? "undeclared"));
        operation.Extensions["x-keywarden-step-up"] = new JsonNodeExtension(JsonValue.Create(access?.StepUp ?? false));
        return Task.CompletedTask;
    }
}
