using System.Formats.Tar;
using System.IO.Compression;
using Keywarden.Sandbox.Common;

namespace Keywarden.Sandbox.Marketing;

/// <summary>
/// A batch's results as Mailchimp serves them at response_body_url: a gzipped tar holding a JSON array of
/// {status_code, operation_id, response}.
/// </summary>
internal static class BatchArchive
{
    public static byte[] Build(BatchRecord batch)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Ustar, leaveOpen: true))
        {
            using var data = new MemoryStream(JsonResponses.ToUtf8(batch.Results));
            var entry = new UstarTarEntry(TarEntryType.RegularFile, $"{batch.Id}.json")
            {
                DataStream = data,
                ModificationTime = batch.CompletedAt,
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            };
            tar.WriteEntry(entry);
        }

        return output.ToArray();
    }
}
