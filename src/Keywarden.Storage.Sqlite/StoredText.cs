using System.Buffers;
using System.Text;

namespace Keywarden.Storage.Sqlite;

/// <summary>
/// Text is stored as UTF-8, which cannot hold an unpaired UTF-16 surrogate: SQLite's driver and
/// System.Text.Json would silently replace it with U+FFFD. The store refuses such text instead of
/// keeping something other than what it was given.
/// </summary>
internal static class StoredText
{
    /// <exception cref="ArgumentException"><paramref name="text"/> holds an unpaired surrogate. The message never shows the text.</exception>
    public static void EnsureValid(string text, string what)
    {
        var rest = text.AsSpan();
        var first = rest.IndexOfAnyInRange('\uD800', '\uDFFF');
        if (first < 0)
        {
            return;
        }

        rest = rest[first..];
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out _, out var consumed) != OperationStatus.Done)
            {
                throw new ArgumentException($"{what} is not valid Unicode text (it holds an unpaired surrogate) and cannot be stored");
            }

            rest = rest[consumed..];
        }
    }
}
