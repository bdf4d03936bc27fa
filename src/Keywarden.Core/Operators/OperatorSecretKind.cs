namespace Keywarden.Core.Operators;

/// <summary>The kinds of secret the admin API issues to people and machines, each with its own prefix.</summary>
public enum OperatorSecretKind
{
    /// <summary>A login session's bearer token: <c>kws_…</c>.</summary>
    Session = 1,

    /// <summary>A machine credential for CI/CD: <c>kwm_…</c>.</summary>
    Machine = 2,

    /// <summary>A one-time invitation or setup code: <c>kwi_…</c>.</summary>
    Invitation = 3,
}
