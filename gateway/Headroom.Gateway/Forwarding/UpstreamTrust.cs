using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Headroom.Gateway.Forwarding;

/// <summary>
/// Upstream TLS trust: the system store always (which <c>SSL_CERT_FILE</c> / <c>SSL_CERT_DIR</c>
/// replace, as OpenSSL defines), plus the CA certificates of <c>Headroom:Upstreams:CaBundle</c>.
/// A certificate whose name does not match the upstream's host is refused either way.
/// </summary>
internal sealed class UpstreamTrust
{
    private readonly X509Certificate2Collection _roots;

    private UpstreamTrust(X509Certificate2Collection roots) => _roots = roots;

    /// <summary>Null when no bundle is configured (the platform's validation applies unchanged).</summary>
    public static UpstreamTrust? FromBundle(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Headroom:Upstreams:CaBundle points at '{path}', which does not exist. Give the path of a PEM file of CA certificates.");
        }

        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(path);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new InvalidOperationException($"Headroom:Upstreams:CaBundle '{path}' is not a PEM file of certificates: {ex.Message}", ex);
        }

        if (roots.Count == 0)
        {
            throw new InvalidOperationException($"Headroom:Upstreams:CaBundle '{path}' holds no PEM certificate (-----BEGIN CERTIFICATE-----).");
        }

        return new UpstreamTrust(roots);
    }

    public int Count => _roots.Count;

    public bool Validate(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        // Only an untrusted chain can be rescued by the bundle; a wrong name or no certificate cannot.
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_roots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using var leaf = new X509Certificate2(certificate);
        return custom.Build(leaf);
    }
}
