using System.Text;

namespace Keywarden.Scanner.Files;

/// <summary>Decodes each byte of an invalid UTF-8 sequence as its Latin-1 character, so no character is lost or shifted.</summary>
internal sealed class Latin1DecoderFallback : DecoderFallback
{
    public static readonly Latin1DecoderFallback Instance = new();

    public override int MaxCharCount => 4;

    public override DecoderFallbackBuffer CreateFallbackBuffer() => new Latin1Buffer();

    private sealed class Latin1Buffer : DecoderFallbackBuffer
    {
        private byte[] _bytes = [];
        private int _position;

        public override int Remaining => _bytes.Length - _position;

        public override bool Fallback(byte[] bytesUnknown, int index)
        {
            _bytes = bytesUnknown;
            _position = 0;
            return true;
        }

        public override char GetNextChar() => _position < _bytes.Length ? (char)_bytes[_position++] : '\0';

        public override bool MovePrevious()
        {
            if (_position == 0)
            {
                return false;
            }

            _position--;
            return true;
        }

        public override void Reset()
        {
            _bytes = [];
            _position = 0;
        }
    }
}
