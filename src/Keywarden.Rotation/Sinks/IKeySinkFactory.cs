namespace Keywarden.Rotation.Sinks;

/// <summary>Builds a sink from its stored specification (see <c>KeySinkSpec</c> for the grammar).</summary>
public interface IKeySinkFactory
{
    /// <summary>The sink that <paramref name="spec"/> describes.</summary>
    /// <exception cref="SinkException">The specification is not valid.</exception>
    IKeySink Create(string spec);
}
