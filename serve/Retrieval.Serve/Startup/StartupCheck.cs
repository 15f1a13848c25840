using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Retrieval.Serve.Configuration;

namespace Retrieval.Serve.Startup;

/// <summary>
/// Checks the settings before the server is built — listen address, limits, TLS certificate — so a mistake is one line
/// on standard error and exit code 1, not an unhandled exception from inside Kestrel.
/// </summary>
public static class StartupCheck
{
    /// <summary>What is wrong with <paramref name="options"/> (null when nothing), and the loaded TLS certificate when one is configured.</summary>
    public static string? Problem(ServerOptions options, out X509Certificate2? certificate)
    {
        certificate = null;
        if (!IPAddress.TryParse(options.Host, out _)) return $"--host '{options.Host}' is not an IP address (e.g. 127.0.0.1, ::1 or 0.0.0.0).";
        try
        {
            options.Limits.Validate();
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
        if (string.IsNullOrEmpty(options.Certificate)) return null;
        if (!File.Exists(options.Certificate)) return $"--cert '{options.Certificate}': cannot read the file (it does not exist).";
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(options.Certificate, options.CertificatePassword);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"--cert '{options.Certificate}': cannot read the file ({e.Message}).";
        }
        catch (CryptographicException)
        {
            return $"--cert '{options.Certificate}': not a PKCS#12 (.pfx) certificate, or --cert-password is wrong.";
        }
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            certificate = null;
            return $"--cert '{options.Certificate}': the certificate has no private key.";
        }
        return null;
    }
}
