using Keywarden.Core.Policy;

namespace Keywarden.Application;

/// <summary>A request to the vault that cannot be carried out, explained for a person. Never carries a secret.</summary>
public sealed class VaultException : Exception
{
    public VaultException(string message)
        : base(message)
    {
    }

    public VaultException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public VaultException()
    {
    }

    /// <summary>A token policy the vault refuses; front ends word <see cref="Problem"/> themselves.</summary>
    public VaultException(PolicyProblem problem)
        : base(problem?.Describe())
    {
        Problem = problem;
    }

    /// <summary>What is wrong with a refused token policy, typed; null for other refusals.</summary>
    public PolicyProblem? Problem { get; }
}
