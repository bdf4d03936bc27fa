using System.Text.Json;

namespace Keywarden.Cli.Remote;

/// <summary>
/// The session <c>keywarden login</c> keeps: <c>{addr, token}</c> in <c>$KEYWARDEN_SESSION_FILE</c>, else
/// <c>~/.keywarden/session.json</c>. Written atomically (a temp file created 0600 before the token is written, then
/// renamed over the old one), so no reader ever sees a half-written or world-readable session.
/// </summary>
internal static class SessionFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static string PathFor(CliContext context) =>
        context.GetEnvironment("KEYWARDEN_SESSION_FILE") is { Length: > 0 } path
            ? path
            : Path.Combine(context.HomeDirectory, ".keywarden", "session.json");

    public static RemoteSession? Read(CliContext context)
    {
        var path = PathFor(context);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            return root.TryGetProperty("addr", out var addr) && root.TryGetProperty("token", out var token)
                && Uri.TryCreate(addr.GetString(), UriKind.Absolute, out var address) && token.GetString() is { Length: > 0 } value
                    ? new RemoteSession(address, value)
                    : throw new CliException($"the session file {path} is not one keywarden login wrote: log in again (keywarden login)");
        }
        catch (JsonException)
        {
            throw new CliException($"the session file {path} is not JSON: log in again (keywarden login)");
        }
    }

    public static void Write(CliContext context, RemoteSession session)
    {
        var path = Path.GetFullPath(PathFor(context));
        var directory = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(directory))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        var temp = Path.Combine(directory, $".session-{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        try
        {
            using (var stream = new FileStream(temp, options))
            using (var writer = new Utf8JsonWriter(stream))
            {
                writer.WriteStartObject();
                writer.WriteString("addr", session.Address.ToString());
                writer.WriteString("token", session.Token);
                writer.WriteEndObject();
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Deletes the session file; false when there was none.</summary>
    public static bool Delete(CliContext context)
    {
        var path = PathFor(context);
        if (!File.Exists(path))
        {
            return false;
        }

        File.Delete(path);
        return true;
    }
}
