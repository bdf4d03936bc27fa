using System.Text.Json;
using Keywarden.Core.Policy;

namespace Keywarden.Core.Tests.Policy;

public sealed class MandrillSendInspectorTests
{
    private static SendFacts? Inspect(string method, string json)
    {
        using var document = JsonDocument.Parse(json);
        return MandrillSendInspector.Inspect(method, document.RootElement);
    }

    [Theory]
    [InlineData("messages/send", true)]
    [InlineData("messages/send-template", true)]
    [InlineData("messages/send-raw", true)]
    [InlineData("inbound/send-raw", false)]
    [InlineData("messages/search", false)]
    [InlineData("Messages/Send", false)]
    public void IsSendMethod_TheThreeSendingMethods(string method, bool expected) =>
        Assert.Equal(expected, MandrillSendInspector.IsSendMethod(method));

    [Fact]
    public void Inspect_Send_CountsToEntriesOfEveryTypeAndTheBccAddress()
    {
        var facts = Inspect("messages/send", """
            {"key":"k","message":{"from_email":"a@example.org","to":[{"email":"x@y.z"},{"email":"c@y.z","type":"cc"},{"email":"b@y.z","type":"bcc"}],
             "bcc_address":"archive@example.org","headers":{"Reply-To":"r@elsewhere.example"}}}
            """);

        Assert.NotNull(facts);
        Assert.Equal(["a@example.org"], facts.FromAddresses);
        Assert.Equal(4, facts.Recipients);
        Assert.True(facts.RecipientsStated);
    }

    [Fact]
    public void Inspect_SendTemplate_WithoutFromEmail_StatesNoSender()
    {
        var facts = Inspect("messages/send-template", """{"template_name":"t","template_content":[],"message":{"to":[{"email":"x@y.z"}]}}""");

        Assert.Empty(facts!.FromAddresses);
        Assert.Equal(1, facts.Recipients);
    }

    [Fact]
    public void Inspect_FromAndSenderHeaders_AreSenderValuesToo()
    {
        var facts = Inspect("messages/send", """{"message":{"from_email":"a@example.org","headers":{"from":"CEO <ceo@bank.example>","SENDER":"s@example.org"},"to":[]}}""");

        Assert.Equal(["a@example.org", "CEO <ceo@bank.example>", "s@example.org"], facts!.FromAddresses);
    }

    [Fact]
    public void Inspect_SendRaw_ReadsFromEmailToAndTheRawSenderHeaders()
    {
        var facts = Inspect("messages/send-raw", """
            {"from_email":"a@example.org","to":["x@y.z","w@y.z"],
             "raw_message":"Subject: hi\r\nFrom: Someone\r\n <evil@bank.example>\r\nTo: x@y.z\r\n\r\nFrom: body@not.a.header"}
            """);

        Assert.Equal(["a@example.org", "Someone <evil@bank.example>"], facts!.FromAddresses);
        Assert.Equal(2, facts.Recipients);
    }

    [Fact]
    public void Inspect_SendRaw_WithoutTo_LeavesRecipientsUnstated()
    {
        var facts = Inspect("messages/send-raw", """{"from_email":"a@example.org","raw_message":"To: many@y.z\r\n\r\nx"}""");

        Assert.False(facts!.RecipientsStated);
    }

    [Fact]
    public void Inspect_SendRaw_WithoutFromEmail_StatesNoSender() =>
        Assert.Empty(Inspect("messages/send-raw", """{"to":["x@y.z"],"raw_message":"From: a@example.org\r\n\r\nx"}""")!.FromAddresses);

    [Theory]
    [InlineData("messages/send", "[]")]
    [InlineData("messages/send", "{}")]
    [InlineData("messages/send", """{"message":"x"}""")]
    [InlineData("messages/send", """{"message":{"from_email":1}}""")]
    [InlineData("messages/send", """{"message":{"to":{"email":"x@y.z"}}}""")]
    [InlineData("messages/send", """{"message":{"to":["x@y.z"]}}""")]
    [InlineData("messages/send", """{"message":{"bcc_address":true}}""")]
    [InlineData("messages/send", """{"message":{"from_email":"a@example.org","headers":{"From":1}}}""")]
    [InlineData("messages/send", """{"message":{"from_email":"a@example.org","headers":{"From":"a@x.y","from":"b@x.y"}}}""")]
    [InlineData("messages/send", """{"message":{"from_email":"a@example.org","from_email":"evil@bank.example"}}""")]
    [InlineData("messages/send", """{"message":{"from_email":"a@example.org"},"message":{"from_email":"evil@bank.example"}}""")]
    [InlineData("messages/send-raw", """{"to":"x@y.z"}""")]
    [InlineData("messages/send-raw", """{"to":[{"email":"x@y.z"}]}""")]
    [InlineData("users/ping", "{}")]
    public void Inspect_AnythingAmbiguousOrOfTheWrongType_IsUnreadable(string method, string json) =>
        Assert.Null(Inspect(method, json));
}
