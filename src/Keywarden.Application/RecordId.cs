using System.Security.Cryptography;

namespace Keywarden.Application;

/// <summary>Random public ids for records, e.g. <c>up_7gq2m0x4k9c1</c>.</summary>
public static class RecordId
{
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    /// <summary>A new id: <paramref name="prefix"/>, an underscore and 12 random base-32 characters.</summary>
    public static string New(string prefix) => prefix + "_" + RandomNumberGenerator.GetString(Alphabet, 12);
}
