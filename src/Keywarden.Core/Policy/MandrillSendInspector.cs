using System.Text.Json;

namespace Keywarden.Core.Policy;

/// <summary>
/// Reads the sender and the recipient count from the body of a Transactional sending call, for the from-domain and
/// recipient limits. Anything it cannot read unambiguously (a wrong type, a field given twice) makes it answer null,
/// which the policy treats as <see cref="DecisionRule.SendBodyUnreadable"/>.
/// </summary>
public static class MandrillSendInspector
{
    /// <summary>True for the methods that send mail: <c>messages/send</c>, <c>messages/send-template</c>, <c>messages/send-raw</c>.</summary>
    public static bool IsSendMethod(string method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return method is "messages/send" or "messages/send-template" or "messages/send-raw";
    }

    /// <summary>Reads the facts of a sending call; null when the body is unreadable or <paramref name="method"/> does not send.</summary>
    /// <param name="method">The canonical <c>group/method</c>.</param>
    /// <param name="body">The whole request body as JSON (a form-encoded body converted by the gateway).</param>
    public static SendFacts? Inspect(string method, JsonElement body)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (!IsSendMethod(method) || body.ValueKind != JsonValueKind.Object || HasDuplicateNames(body, StringComparison.Ordinal))
        {
            return null;
        }

        return method == "messages/send-raw" ? InspectRaw(body) : InspectMessage(body);
    }

    /// <summary>messages/send and messages/send-template: everything is under <c>message</c>.</summary>
    private static SendFacts? InspectMessage(JsonElement body)
    {
        if (!body.TryGetProperty("message", out var message)
            || message.ValueKind != JsonValueKind.Object
            || HasDuplicateNames(message, StringComparison.Ordinal))
        {
            return null;
        }

        var from = new List<string>(1);
        if (!TryOptionalString(message, "from_email", out var fromEmail))
        {
            return null;
        }

        if (!string.IsNullOrEmpty(fromEmail))
        {
            from.Add(fromEmail);
            if (!TryAddHeaderSenders(message, from))
            {
                return null;
            }
        }

        var recipients = 0;
        if (message.TryGetProperty("to", out var to) && to.ValueKind != JsonValueKind.Null)
        {
            if (to.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            foreach (var entry in to.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object)
                {
                    return null;
                }

                recipients++;
            }
        }

        if (!TryOptionalString(message, "bcc_address", out var bcc))
        {
            return null;
        }

        if (!string.IsNullOrEmpty(bcc))
        {
            recipients++;
        }

        return new SendFacts(from, recipients);
    }

    /// <summary>messages/send-raw: <c>from_email</c> and <c>to</c> at the top level, headers inside <c>raw_message</c>.</summary>
    private static SendFacts? InspectRaw(JsonElement body)
    {
        if (!TryOptionalString(body, "from_email", out var fromEmail) || !TryOptionalString(body, "raw_message", out var raw))
        {
            return null;
        }

        var from = new List<string>(1);
        if (!string.IsNullOrEmpty(fromEmail))
        {
            from.Add(fromEmail);
            if (raw is not null)
            {
                RawHeaders.AddSenders(raw, from);
            }
        }

        if (!body.TryGetProperty("to", out var to) || to.ValueKind == JsonValueKind.Null)
        {
            // Mandrill then delivers to the To, Cc and Bcc headers of raw_message.
            return new SendFacts(from, 0) { RecipientsStated = false };
        }

        if (to.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var recipients = 0;
        foreach (var entry in to.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            recipients++;
        }

        return new SendFacts(from, recipients);
    }

    /// <summary>Adds the From and Sender values of <c>message.headers</c>: if Mandrill honoured them, they would be the sender shown.</summary>
    private static bool TryAddHeaderSenders(JsonElement message, List<string> from)
    {
        if (!message.TryGetProperty("headers", out var headers) || headers.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (headers.ValueKind != JsonValueKind.Object || HasDuplicateNames(headers, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        foreach (var header in headers.EnumerateObject())
        {
            if (RawHeaders.IsSenderHeader(header.Name))
            {
                if (header.Value.ValueKind != JsonValueKind.String)
                {
                    return false;
                }

                from.Add(header.Value.GetString()!);
            }
        }

        return true;
    }

    /// <summary>Reads an optional string property: absent or null gives null; any other type fails.</summary>
    private static bool TryOptionalString(JsonElement element, string name, out string? value)
    {
        value = null;
        if (!element.TryGetProperty(name, out var property) || property.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (property.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        value = property.GetString();
        return true;
    }

    /// <summary>A name given twice is read differently by different parsers (first wins, last wins): refuse it.</summary>
    private static bool HasDuplicateNames(JsonElement element, StringComparison comparison)
    {
        var count = 0;
        foreach (var _ in element.EnumerateObject())
        {
            count++;
        }

        if (count < 2)
        {
            return false;
        }

        var names = new HashSet<string>(count, comparison == StringComparison.Ordinal ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase);
        foreach (var property in element.EnumerateObject())
        {
            if (!names.Add(property.Name))
            {
                return true;
            }
        }

        return false;
    }
}
