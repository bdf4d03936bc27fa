using System.Net.Http.Headers;
using System.Text;

namespace Keywarden.Testing;

/// <summary>Credentials as Mailchimp's Marketing API takes them: any user name, the key (or a token) as password.</summary>
public static class BasicAuth
{
    public static AuthenticationHeaderValue Header(string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("anystring:" + secret)));
}
