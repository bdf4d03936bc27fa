using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Keywarden.Gateway.Observability;
using Microsoft.Extensions.Logging;

namespace Keywarden.Gateway.Hosting;

/// <summary>
/// The gateway's TLS certificate from two PEM files (certificate chain, private key), reloaded when either file changes
/// or the process gets SIGHUP, so a renewed certificate (certbot, cert-manager) takes effect without a restart. A
/// reload that fails (a half-written file, a key that does not match) keeps the certificate in use and is logged.
/// </summary>
internal sealed class TlsCertificate : IDisposable
{
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(200);

    private readonly string _certificateFile;
    private readonly string _keyFile;
    private readonly ILogger _logger;
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly PosixSignalRegistration? _hangup;
    private readonly Timer _debounce;
    private X509Certificate2 _current;

    private TlsCertificate(string certificateFile, string keyFile, X509Certificate2 first, ILogger logger)
    {
        _certificateFile = Path.GetFullPath(certificateFile);
        _keyFile = Path.GetFullPath(keyFile);
        _current = first;
        _logger = logger;
        _debounce = new Timer(_ => Reload("the certificate or key file changed"));
        foreach (var directory in new[] { Path.GetDirectoryName(_certificateFile)!, Path.GetDirectoryName(_keyFile)! }.Distinct(StringComparer.Ordinal))
        {
            var watcher = new FileSystemWatcher(directory) { NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.CreationTime };
            watcher.Changed += OnChanged;
            watcher.Created += OnChanged;
            watcher.Renamed += OnChanged;
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }

        if (!OperatingSystem.IsWindows())
        {
            _hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                context.Cancel = true; // reload, do not exit
                Reload("SIGHUP");
            });
        }
    }

    /// <summary>The certificate to present now.</summary>
    public X509Certificate2 Current => Volatile.Read(ref _current);

    /// <summary>Loads the pair and starts watching it.</summary>
    /// <exception cref="GatewayException">The files cannot be read, are not PEM, or the key does not match the certificate; the message says which.</exception>
    public static TlsCertificate Load(string certificateFile, string keyFile, ILogger logger) =>
        new(certificateFile, keyFile, Read(certificateFile, keyFile), logger);

    /// <summary>Reads the pair now; the certificate in use is replaced only when it reads whole.</summary>
    public void Reload(string why)
    {
        try
        {
            var next = Read(_certificateFile, _keyFile);
            Interlocked.Exchange(ref _current, next);
            Log.TlsCertificateLoaded(_logger, why, next.Subject, next.NotAfter.ToUniversalTime());
            // The old one is not disposed: a handshake in progress may still be using it.
        }
        catch (GatewayException e)
        {
            Log.TlsCertificateReloadFailed(_logger, why, e.Message);
        }
    }

    public void Dispose()
    {
        _hangup?.Dispose();
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }

        _debounce.Dispose();
    }

    private static X509Certificate2 Read(string certificateFile, string keyFile)
    {
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
            // Exported and imported once: a key created from PEM is ephemeral, which SslStream cannot use on every platform.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new GatewayException(
                $"cannot load the TLS certificate '{certificateFile}' with the key '{keyFile}': {e.Message} (both must be PEM, the key unencrypted and matching the certificate)", e);
        }
    }

    private void OnChanged(object sender, FileSystemEventArgs e)
    {
        if (string.Equals(e.FullPath, _certificateFile, StringComparison.Ordinal) || string.Equals(e.FullPath, _keyFile, StringComparison.Ordinal))
        {
            _debounce.Change(Settle, Timeout.InfiniteTimeSpan); // both files are often replaced one after the other
        }
    }
}
