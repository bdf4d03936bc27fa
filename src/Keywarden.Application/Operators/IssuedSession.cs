// In the Operators folder with the rest of the operator story, but in the namespace of the other application services.
using Keywarden.Core.Keys;

namespace Keywarden.Application;

/// <summary>A successful login: the <c>kws_</c> session token, shown once and stored only hashed, and the session.</summary>
/// <param name="Token">The bearer token for the admin API.</param>
/// <param name="Session">The session.</param>
public sealed record IssuedSession(string Token, SessionView Session)
{
    /// <summary>Never shows the token.</summary>
    public override string ToString() => $"session {Session.Id} ({KeyDisplay.Redact(Token)})";
}
