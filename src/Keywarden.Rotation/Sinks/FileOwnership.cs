using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Keywarden.Rotation.Sinks;

/// <summary>
/// Reads and sets a file's owner (uid, gid), which .NET has no API for. Reading goes through the
/// runtime's own portable stat (<c>SystemNative_Stat</c> in libSystem.Native, the same call behind
/// <see cref="File.GetUnixFileMode(string)"/>), so the struct layout does not depend on the architecture.
/// </summary>
internal static partial class FileOwnership
{
    // FileStatus in dotnet/runtime src/native/libs/System.Native/pal_io.h starts with
    // int32 Flags, int32 Mode, uint32 Uid, uint32 Gid; the buffer is larger than the whole struct.
    private const int UidOffset = 8;
    private const int GidOffset = 12;
    private const int StatusBufferSize = 512;

    /// <summary>The owner of <paramref name="path"/> (following symlinks), or null where there are no Unix owners.</summary>
    public static (uint Uid, uint Gid)? Get(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        Span<byte> status = stackalloc byte[StatusBufferSize];
        status.Clear();
        if (Stat(path, ref MemoryMarshal.GetReference(status)) != 0)
        {
            throw new IOException($"cannot read the owner of {path}: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");
        }

        return (
            MemoryMarshal.Read<uint>(status[UidOffset..]),
            MemoryMarshal.Read<uint>(status[GidOffset..]));
    }

    /// <summary>Sets the owner of <paramref name="path"/>; throws <see cref="IOException"/> when the system refuses (not root).</summary>
    public static void Set(string path, uint uid, uint gid)
    {
        if (Chown(path, uid, gid) != 0)
        {
            throw new IOException($"cannot set owner {uid}:{gid} on {path}: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");
        }
    }

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Stat(string path, ref byte status);

    [LibraryImport("libc", EntryPoint = "chown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Chown(string path, uint owner, uint group);
}
