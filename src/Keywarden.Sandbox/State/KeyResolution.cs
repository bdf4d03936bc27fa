namespace Keywarden.Sandbox.State;

/// <summary>
/// What a presented key turned out to be. <see cref="Key"/> is set whenever the key names one the sandbox issued,
/// even a revoked one, so the request log can say which key was refused; <see cref="Account"/> only when accepted.
/// </summary>
internal sealed record KeyResolution(KeyRecord? Key, AccountData? Account)
{
    public static readonly KeyResolution Unknown = new(null, null);

    public bool IsAccepted => Account is not null;
}
