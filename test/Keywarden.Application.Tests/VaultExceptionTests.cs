using Keywarden.Core.Policy;

namespace Keywarden.Application.Tests;

/// <summary>The application layer speaks no front end's words: its messages name no option and no command.</summary>
public sealed class VaultExceptionTests
{
    public static TheoryData<VaultErrorCode> Codes => new(Enum.GetValues<VaultErrorCode>());

    [Theory]
    [MemberData(nameof(Codes))]
    public void Message_OfEveryCode_NamesNoCliOptionOrCommand(VaultErrorCode code)
    {
        var message = new VaultException(code, "news", "the cause").Message;

        Assert.DoesNotContain("--", message, StringComparison.Ordinal);
        Assert.DoesNotContain("keywarden ", message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(Codes))]
    public void Message_OfEveryCode_IsWordsNotTheCodesName(VaultErrorCode code)
    {
        var message = new VaultException(code, "news", "the cause").Message;

        Assert.False(string.IsNullOrWhiteSpace(message));
        Assert.NotEqual(code.ToString(), message);
    }

    [Fact]
    public void Exception_CarriesItsCodeValueDetailAndCause()
    {
        var cause = new IOException("disk gone");

        var e = new VaultException(VaultErrorCode.MasterKeyFileUnreadable, "/srv/master.key", cause.Message, cause);

        Assert.Equal(VaultErrorCode.MasterKeyFileUnreadable, e.Code);
        Assert.Equal("/srv/master.key", e.Value);
        Assert.Equal("disk gone", e.Detail);
        Assert.Same(cause, e.InnerException);
        Assert.Equal("could not read the master key file /srv/master.key: disk gone", e.Message);
        Assert.Null(e.Problem);
    }

    [Fact]
    public void PolicyProblem_IsRefusedPolicy_WithTheProblemsOwnNeutralWords()
    {
        var problem = new PolicyProblem(PolicyProblemCode.InvalidCidr, "10.0.0.0/33");

        var e = new VaultException(problem);

        Assert.Equal(VaultErrorCode.PolicyRefused, e.Code);
        Assert.Same(problem, e.Problem);
        Assert.Equal("10.0.0.0/33", e.Value);
        Assert.Equal(problem.Describe(), e.Message);
    }
}
