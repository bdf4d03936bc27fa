using System.Text.Json;
using Keywarden.AdminApi.Documents;
using Keywarden.Application;
using Keywarden.Core.Providers;
using Microsoft.AspNetCore.Http;

namespace Keywarden.AdminApi.Hosting;

/// <summary>What every endpoint handler works with: the opened vault, the operator accounts, the clock, the API catalogue and the document writer.</summary>
internal sealed class AdminApiContext(KeywardenVault vault, OperatorService operators, TimeProvider time, UpstreamApiCatalog apis, MasterKeySource? keySource)
{
    private static readonly JsonSerializerOptions Json = DocumentJson.CreateOptions(indented: false);

    public KeywardenVault Vault { get; } = vault;

    public OperatorService Operators { get; } = operators;

    public TimeProvider Time { get; } = time;

    public UpstreamApiCatalog Apis { get; } = apis;

    /// <summary>Where the server's master key comes from (for a master-key rotation); null when the host did not say.</summary>
    public MasterKeySource? KeySource { get; } = keySource;

    /// <summary>One master-key rotation at a time.</summary>
    public SemaphoreSlim MasterRotation { get; } = new(1, 1);

    /// <summary>A document as the CLI's <c>--json</c> prints it (version first), compact.</summary>
    public static IResult Document(object document, int status = StatusCodes.Status200OK) =>
        Results.Text(DocumentJson.Versioned(document, Json).ToJsonString(Json), "application/json", statusCode: status);
}
