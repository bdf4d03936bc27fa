using System.Text;

namespace Keywarden.Testing;

/// <summary>One request a <see cref="WebhookReceiver"/> got.</summary>
/// <param name="Path">The request's path.</param>
/// <param name="Headers">Its headers (names case-insensitive).</param>
/// <param name="Body">Its body's bytes.</param>
public sealed record ReceivedWebhook(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    /// <summary>The body as UTF-8 text.</summary>
    public string Text => Encoding.UTF8.GetString(Body);
}
