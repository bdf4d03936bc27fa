using System.Text;
using Keywarden.Mailchimp;
using Keywarden.Testing;

namespace Keywarden.Scanner.Tests;

/// <summary>A labelled corpus: files written to a temp directory, and where each planted secret must be found.</summary>
internal sealed class Corpus(TempDirectory directory)
{
    public TempDirectory Directory { get; } = directory;

    public List<(string Path, long Line, long Column, string Rule)> Expected { get; } = [];

    public HashSet<string> Secrets { get; } = new(StringComparer.Ordinal);

    public FileBuilder File(string path) => new(this, path);

    internal sealed class FileBuilder(Corpus corpus, string path)
    {
        private readonly StringBuilder _text = new();
        private readonly List<(long Line, long Column, string Rule, string Secret)> _planted = [];
        private long _line = 1;
        private long _column = 1;

        /// <summary>Appends text; parts of type <see cref="Planted"/> are secrets the scanner must find.</summary>
        public FileBuilder Append(params object[] parts)
        {
            foreach (var part in parts)
            {
                if (part is Planted planted)
                {
                    _planted.Add((_line, _column, planted.Rule, planted.Secret));
                    Write(planted.Secret);
                }
                else
                {
                    Write((string)part);
                }
            }

            return this;
        }

        public FileBuilder Line(params object[] parts) => Append(parts).Append("\n");

        public void Save(Encoding? encoding = null, bool bom = false, string newline = "\n")
        {
            var text = _text.ToString().Replace("\n", newline, StringComparison.Ordinal);
            var enc = encoding ?? new UTF8Encoding(false);
            var bytes = bom ? [.. enc.GetPreamble(), .. enc.GetBytes(text)] : enc.GetBytes(text);
            corpus.Directory.WriteBytes(path, bytes);
            foreach (var (line, column, rule, secret) in _planted)
            {
                corpus.Expected.Add((path, line, column, rule));
                corpus.Secrets.Add(secret);
            }
        }

        /// <summary>Writes the file but expects nothing from it (binary).</summary>
        public void SaveUnlabelled(byte[] bytes) => corpus.Directory.WriteBytes(path, bytes);

        public long Length => _text.Length;

        private void Write(string text)
        {
            _text.Append(text);
            foreach (var c in text)
            {
                if (c == '\n')
                {
                    _line++;
                    _column = 1;
                }
                else
                {
                    _column++;
                }
            }
        }
    }
}

/// <summary>A secret planted in the corpus, with the rule that must find it.</summary>
internal sealed record Planted(string Rule, string Secret)
{
    public static Planted Marketing(string secret) => new(MailchimpScanRules.MarketingKey, secret);

    public static Planted Transactional(string secret) => new(MailchimpScanRules.TransactionalKey, secret);

    public static Planted Token(string secret) => new(ScanRules.KeywardenToken, secret);
}
