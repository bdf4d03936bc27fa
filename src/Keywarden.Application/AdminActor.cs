namespace Keywarden.Application;

/// <summary>
/// Who performs an administrative action, as its audit record names them: an operator's name, <c>machine:NAME</c> for a
/// machine credential, or the operating system user when the CLI works on the vault directly; and the client address
/// the admin API saw (null for the local CLI).
/// </summary>
/// <param name="Name">The actor as recorded.</param>
/// <param name="ClientAddress">The client's address, or null when the action did not come over the network.</param>
public sealed record AdminActor(string Name, string? ClientAddress)
{
    /// <summary>The operating system user running Keywarden, with no address: the CLI without a server.</summary>
    public static AdminActor Local => new(Environment.UserName, null);
}
