using System.Buffers;
using Keywarden.Core.Providers;

namespace Keywarden.Scanner.Detection;

/// <summary>A <see cref="ContextSecretPattern"/> with its keywords ready for a vectorised search.</summary>
internal sealed record ContextRule(ContextSecretPattern Pattern, SearchValues<string> Keywords)
{
    public ContextRule(ContextSecretPattern pattern)
        : this(pattern, SearchValues.Create([.. pattern.Keywords], StringComparison.OrdinalIgnoreCase))
    {
    }
}
