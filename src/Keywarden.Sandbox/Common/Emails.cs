using System.Net.Mail;

namespace Keywarden.Sandbox.Common;

/// <summary>The email address check Mailchimp applies before "Please provide a valid email address.".</summary>
internal static class Emails
{
    public static bool IsValid(string email)
    {
        var trimmed = email.Trim();
        if (trimmed.Length is 0 or > 254 || trimmed.Count(c => c == '@') != 1 || trimmed.Contains(' ', StringComparison.Ordinal))
        {
            return false;
        }

        var domain = trimmed[(trimmed.IndexOf('@', StringComparison.Ordinal) + 1)..];
        return domain.Contains('.', StringComparison.Ordinal)
            && !domain.StartsWith('.')
            && !domain.EndsWith('.')
            && MailAddress.TryCreate(trimmed, out var parsed)
            && parsed.Address == trimmed;
    }
}
