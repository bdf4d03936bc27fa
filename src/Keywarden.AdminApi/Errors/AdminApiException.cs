namespace Keywarden.AdminApi.Errors;

/// <summary>A request the admin API refuses with <see cref="Problem"/>; thrown by handlers, answered by the error middleware.</summary>
public sealed class AdminApiException(AdminProblem problem) : Exception(problem?.Detail)
{
    /// <summary>The answer.</summary>
    public AdminProblem Problem { get; } = problem ?? throw new ArgumentNullException(nameof(problem));
}
