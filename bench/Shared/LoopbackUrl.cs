namespace Keywarden.Bench;

/// <summary>Reads a listen or target URL from the arguments or the environment, and refuses anything but loopback: benchmark traffic never leaves the machine.</summary>
internal static class LoopbackUrl
{
    public static Uri Read(string[] args, int index, string variable, string fallback)
    {
        var text = args.Length > index ? args[index] : Environment.GetEnvironmentVariable(variable) ?? fallback;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttp || !url.IsLoopback)
        {
            Console.Error.WriteLine($"'{text}' ({variable}) must be an http:// URL on loopback, e.g. {fallback}");
            Environment.Exit(2);
        }

        return url;
    }
}
