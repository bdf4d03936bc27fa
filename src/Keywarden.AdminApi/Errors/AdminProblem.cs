using System.Text.Json;
using Keywarden.Application;
using Keywarden.Rotation;
using Keywarden.Rotation.Sinks;
using Microsoft.AspNetCore.Http;

namespace Keywarden.AdminApi.Errors;

/// <summary>
/// An error answer of the admin API: <c>application/problem+json</c> with <c>status</c>, a stable snake_case <c>code</c>
/// (a <see cref="VaultErrorCode"/>'s, or one of the API's own), a <c>title</c> per code and a <c>detail</c> in plain words.
/// Never a secret: details are the vault's own words, which never carry one.
/// </summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Code">The stable code, e.g. <c>token_not_found</c> or <c>role_too_low</c>.</param>
/// <param name="Title">What kind of problem, the same for every answer with this code.</param>
/// <param name="Detail">This occurrence, in words.</param>
public sealed record AdminProblem(int Status, string Code, string Title, string Detail)
{
    /// <summary>The media type of every error answer.</summary>
    public const string ContentType = "application/problem+json";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>No bearer token, or one that is unknown, expired or revoked.</summary>
    public static AdminProblem Unauthenticated() =>
        new(StatusCodes.Status401Unauthorized, "unauthenticated", "Not signed in", "send a session token or machine credential as 'Authorization: Bearer …'");

    /// <summary>The endpoint declares no role, so nobody may call it.</summary>
    public static AdminProblem AccessUndeclared() =>
        new(StatusCodes.Status403Forbidden, "access_undeclared", "Endpoint declares no role", "this endpoint declares no role and is refused to everyone");

    /// <summary>The caller's role is below the endpoint's.</summary>
    public static AdminProblem RoleTooLow(string needed, string held) =>
        new(StatusCodes.Status403Forbidden, "role_too_low", "Role too low", $"this needs the {needed} role; you have {held}");

    /// <summary>The action needs a TOTP code from the last 5 minutes.</summary>
    public static AdminProblem StepUpRequired(string why) =>
        new(StatusCodes.Status403Forbidden, "step_up_required", "Step-up required", $"{why} needs a fresh second factor: POST /v1/auth/step-up with a TOTP code, then retry within 5 minutes");

    /// <summary>A request that is not understood: a missing field, bad JSON, a bad query value.</summary>
    public static AdminProblem BadRequest(string detail) => new(StatusCodes.Status400BadRequest, "bad_request", "Bad request", detail);

    /// <summary>A refusal of the vault, with the status its code calls for.</summary>
    public static AdminProblem From(VaultException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var code = JsonNamingPolicy.SnakeCaseLower.ConvertName(exception.Code.ToString());
        var status = exception.Code switch
        {
            VaultErrorCode.LoginFailed or VaultErrorCode.SessionInvalid => StatusCodes.Status401Unauthorized,
            VaultErrorCode.StepUpRequired => StatusCodes.Status403Forbidden,
            VaultErrorCode.UpstreamNotFound or VaultErrorCode.TokenNotFound or VaultErrorCode.NotificationTargetNotFound
                or VaultErrorCode.AlertNotFound or VaultErrorCode.OperatorNotFound or VaultErrorCode.MachineCredentialNotFound => StatusCodes.Status404NotFound,
            VaultErrorCode.UpstreamExists or VaultErrorCode.KeyAlreadyStored or VaultErrorCode.TokenNotRotatable
                or VaultErrorCode.TokenNotSuspendable or VaultErrorCode.AlertAlreadyAcknowledged or VaultErrorCode.AlertAlreadyResolved
                or VaultErrorCode.MasterKeySame or VaultErrorCode.OperatorExists or VaultErrorCode.MachineCredentialExists
                or VaultErrorCode.TotpAlreadyEnrolled or VaultErrorCode.SetupAlreadyDone or VaultErrorCode.LastAdmin => StatusCodes.Status409Conflict,
            VaultErrorCode.KeyNotVerified => StatusCodes.Status502BadGateway,
            VaultErrorCode.KeyDoesNotOpen or VaultErrorCode.WrongMasterKey or VaultErrorCode.RewrapFailed or VaultErrorCode.MasterKeyFileExists
                or VaultErrorCode.MasterKeyFileNotWritten or VaultErrorCode.MasterKeyFileMissing or VaultErrorCode.MasterKeyFileTooOpen
                or VaultErrorCode.MasterKeyFileUnreadable or VaultErrorCode.MasterKeyMalformed or VaultErrorCode.SettingsUnreadable
                or VaultErrorCode.NoDataDirectory => StatusCodes.Status500InternalServerError,
            _ => StatusCodes.Status422UnprocessableEntity,
        };
        return new AdminProblem(status, code, TitleOf(status), exception.Message);
    }

    /// <summary>A refusal of a rotation step, with the status its code calls for; the detail in plain words, naming no CLI command.</summary>
    public static AdminProblem From(RotationException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var code = JsonNamingPolicy.SnakeCaseLower.ConvertName(exception.Code.ToString());
        var status = exception.Code switch
        {
            RotationErrorCode.UpstreamNotFound => StatusCodes.Status404NotFound,
            RotationErrorCode.RotationInProgress or RotationErrorCode.NewKeyAlreadySubmitted or RotationErrorCode.NoRotationInProgress
                or RotationErrorCode.NotAwaitingRevocation or RotationErrorCode.AbortAfterPromotion or RotationErrorCode.AbortAwaitingRevocation
                or RotationErrorCode.NoCurrentKey => StatusCodes.Status409Conflict,
            RotationErrorCode.NewKeyNotVerified => StatusCodes.Status502BadGateway,
            RotationErrorCode.ReplacedKeyMissing or RotationErrorCode.PendingKeyMissing or RotationErrorCode.SinkFailed => StatusCodes.Status500InternalServerError,
            _ => StatusCodes.Status422UnprocessableEntity,
        };
        return new AdminProblem(status, code, TitleOf(status), exception.Message);
    }

    /// <summary>A sink spec that is not valid, or a target that could not take a key; the detail says why (never a key).</summary>
    public static AdminProblem From(SinkException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new(StatusCodes.Status422UnprocessableEntity, "sink_refused", TitleOf(StatusCodes.Status422UnprocessableEntity), exception.Message);
    }

    /// <summary>No sink has the id.</summary>
    public static AdminProblem SinkNotFound(string id) =>
        new(StatusCodes.Status404NotFound, "sink_not_found", TitleOf(StatusCodes.Status404NotFound), $"no sink with id '{id}'");

    /// <summary>An <c>exec:</c> sink, which would run a command on the server: added only on the server itself.</summary>
    public static AdminProblem SinkNotRemote() =>
        new(StatusCodes.Status422UnprocessableEntity, "sink_not_remote", TitleOf(StatusCodes.Status422UnprocessableEntity),
            "an exec: sink runs a command on the server, so it is added only there (keywarden sink add on the server); over the API add env:, json: or yaml: sinks");

    /// <summary>The problem for a status the framework set without a body (404 no such route, 405, 413 body too large, 400 unreadable JSON).</summary>
    public static AdminProblem ForStatus(int status) => status switch
    {
        StatusCodes.Status404NotFound => new(status, "not_found", TitleOf(status), "no such endpoint; see /v1/openapi.json"),
        StatusCodes.Status405MethodNotAllowed => new(status, "method_not_allowed", TitleOf(status), "this endpoint does not take that method"),
        StatusCodes.Status413PayloadTooLarge => new(status, "body_too_large", TitleOf(status), "the request body is larger than the admin API takes (64 KiB)"),
        StatusCodes.Status400BadRequest => new(status, "bad_request", TitleOf(status), "the request could not be read: check the JSON body and the query"),
        StatusCodes.Status415UnsupportedMediaType => new(status, "unsupported_media_type", TitleOf(status), "send the body as application/json"),
        _ => new(status, "internal_error", TitleOf(status), "the request failed; the server log says why"),
    };

    /// <summary>Writes this problem as the response.</summary>
    public Task WriteAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = Status;
        context.Response.ContentType = ContentType;
        if (Status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }

        return context.Response.WriteAsync(JsonSerializer.Serialize(this, Json), context.RequestAborted);
    }

    private static string TitleOf(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "Bad request",
        StatusCodes.Status401Unauthorized => "Not signed in",
        StatusCodes.Status403Forbidden => "Forbidden",
        StatusCodes.Status404NotFound => "Not found",
        StatusCodes.Status405MethodNotAllowed => "Method not allowed",
        StatusCodes.Status409Conflict => "Conflict",
        StatusCodes.Status413PayloadTooLarge => "Request body too large",
        StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
        StatusCodes.Status422UnprocessableEntity => "Refused",
        StatusCodes.Status502BadGateway => "Upstream did not answer",
        _ => "Server error",
    };
}
