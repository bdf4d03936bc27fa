namespace Keywarden.Core.Policy;

/// <summary>What the body of a Transactional sending call says about its sender and recipients (see <see cref="MandrillSendInspector"/>).</summary>
/// <param name="FromAddresses">
/// The sender as the body states it: the <c>from_email</c>, then the value of every <c>From</c> and <c>Sender</c>
/// header the body carries (<c>message.headers</c>; the header block of <c>raw_message</c>). Empty when the body names
/// no <c>from_email</c>: the sender would then come from a template or the raw message, which a from-domain policy
/// cannot accept.
/// </param>
/// <param name="Recipients">Recipients the body states: entries of <c>message.to</c> (to, cc and bcc) plus <c>message.bcc_address</c>; for <c>send-raw</c>, the <c>to</c> array.</param>
public sealed record SendFacts(IReadOnlyList<string> FromAddresses, int Recipients)
{
    /// <summary>
    /// False for <c>messages/send-raw</c> without a <c>to</c> array: Mandrill then delivers to the To, Cc and Bcc
    /// headers of the raw message, which <see cref="Recipients"/> does not count, so a recipient limit refuses it.
    /// </summary>
    public bool RecipientsStated { get; init; } = true;
}
