using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Keywarden.Core.Providers;

namespace Keywarden.Scanner.Detection;

/// <summary>
/// Finds runs of word characters (<c>[A-Za-z0-9_-]</c>) long enough to hold a context secret (a bare Transactional key), 32 characters a
/// step: a bit mask of which characters are key characters, and-ed with itself shifted (1, 2, 4, 8, then the rest) so
/// that a bit stays set only where a run of the wanted length starts. Code and minified JS are full of key characters
/// but rarely of 22 in a row, so the bare-key pass costs about one vector compare per 16 characters.
/// </summary>
internal static class KeyRuns
{
    private const int Step = 32;

    /// <summary>Masks are 64 bits: a run starting in the first 32 must end inside them.</summary>
    private const int MaxRunLength = 64 - Step;

    /// <summary>
    /// The first index in [<paramref name="from"/>, <paramref name="limit"/>) where <paramref name="runLength"/> key
    /// characters in a row start (within <paramref name="text"/>), or -1. Such an index is the start of its run unless it
    /// is <paramref name="from"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int IndexOfLongRun(ReadOnlySpan<char> text, int from, int limit, int runLength)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(runLength, MaxRunLength);
        ArgumentOutOfRangeException.ThrowIfLessThan(runLength, 17);

        // Starts past this one leave no room for the run.
        var end = Math.Min(limit, text.Length - runLength + 1);
        var position = from;
        if (Vector256.IsHardwareAccelerated && position < end && position + 2 * Step <= text.Length)
        {
            ulong high = Mask(text, position + Step);
            ulong mask = Mask(text, position) | (high << Step);
            while (true)
            {
                var starts = RunStarts(mask, runLength) & uint.MaxValue;
                if (starts != 0)
                {
                    var index = position + BitOperations.TrailingZeroCount(starts);
                    return index < end ? index : -1;
                }

                position += Step;
                if (position >= end || position + 2 * Step > text.Length)
                {
                    break;
                }

                mask = high | ((ulong)Mask(text, position + Step) << Step);
                high = mask >> Step;
            }
        }

        // The tail (or no vectors): count key characters in a row from position; earlier starts were ruled out.
        var run = 0;
        for (var i = position; i < text.Length && i - run < end; i++)
        {
            if (!ContextSecretPattern.WordChars.Contains(text[i]))
            {
                run = 0;
                continue;
            }

            if (++run == runLength)
            {
                return i - runLength + 1;
            }
        }

        return -1;
    }

    /// <summary>Bit k set where bits k … k + length - 1 of <paramref name="mask"/> are all set (16 &lt; length ≤ 32).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong RunStarts(ulong mask, int length)
    {
        mask &= mask >> 1;
        mask &= mask >> 2;
        mask &= mask >> 4;
        mask &= mask >> 8;
        return mask & (mask >> (length - 16));
    }

    /// <summary>Bit k set where <c>text[at + k]</c> is a key character, for k &lt; 32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Mask(ReadOnlySpan<char> text, int at)
    {
        var chars = MemoryMarshal.Cast<char, ushort>(text.Slice(at, Step));
        return Mask(Vector256.Create(chars)) | (Mask(Vector256.Create(chars[16..])) << 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Mask(Vector256<ushort> chars)
    {
        var letter = Vector256.LessThanOrEqual((chars | Vector256.Create((ushort)0x20)) - Vector256.Create((ushort)'a'), Vector256.Create((ushort)('z' - 'a')));
        var digit = Vector256.LessThanOrEqual(chars - Vector256.Create((ushort)'0'), Vector256.Create((ushort)9));
        var separator = Vector256.Equals(chars, Vector256.Create((ushort)'_')) | Vector256.Equals(chars, Vector256.Create((ushort)'-'));
        return (letter | digit | separator).ExtractMostSignificantBits();
    }

}
