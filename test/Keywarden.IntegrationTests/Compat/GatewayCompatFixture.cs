using System.Text.Json;
using System.Text.Json.Nodes;
using Keywarden.Core.Tokens;
using Keywarden.Testing;

namespace Keywarden.IntegrationTests.Compat;

/// <summary>
/// The compat scripts, unchanged in what they check, run once against the gateway in front of the sandbox: the
/// application holds a token where the key would be (and a revoked token as its "revoked key"), and changes only the
/// base URL.
/// </summary>
public abstract class GatewayCompatFixture : IAsyncLifetime
{
    private readonly string _script;
    private readonly string _upstream;
    private readonly string _suffix;
    private KeywardenHost? _host;

    protected GatewayCompatFixture(string script, string upstream, string suffix)
    {
        _script = script;
        _upstream = upstream;
        _suffix = suffix;
    }

    internal KeywardenHost Host => _host ?? throw new InvalidOperationException("not initialised");

    internal string Token { get; private set; } = "";

    internal string RevokedToken { get; private set; } = "";

    internal JsonObject Output { get; private set; } = [];

    /// <summary>Output.results, after asserting the script reached its end.</summary>
    internal JsonObject Results
    {
        get
        {
            Assert.True(Output["ok"]!.GetValue<bool>(), "the script failed through the gateway: " + Output.ToJsonString());
            return Output["results"]!.AsObject();
        }
    }

    public async ValueTask InitializeAsync()
    {
        _host = await KeywardenHost.StartAsync();
        Token = await _host.TokenAsync(_upstream);
        var revoked = await _host.IssueAsync(_upstream);
        await _host.RevokeAsync(revoked);
        RevokedToken = revoked.Token.Value;
        Output = await NodeScript.RunAsync(
            _script,
            new Dictionary<string, string>
            {
                ["KEYWARDEN_COMPAT_BASE_URL"] = _host.Gateway.BaseAddress.ToString(),
                ["KEYWARDEN_COMPAT_KEY"] = Token + _suffix,
                ["KEYWARDEN_COMPAT_REVOKED_KEY"] = RevokedToken + _suffix,
            },
            TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Everything the sandbox recorded, as JSON text: the token must not appear in it.</summary>
    internal string ReceivedText() => JsonSerializer.Serialize(Host.Received);

    internal void AssertTokensNeverReachedTheSandbox()
    {
        var text = ReceivedText();
        foreach (var token in new[] { Token, RevokedToken })
        {
            Assert.DoesNotContain(token.Substring(GatewayToken.Prefix.Length, GatewayToken.RandomLength), text, StringComparison.Ordinal);
        }
    }
}
