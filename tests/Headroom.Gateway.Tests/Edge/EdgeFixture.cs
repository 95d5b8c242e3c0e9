using Headroom.Gateway.Tests.Infrastructure;

namespace Headroom.Gateway.Tests.Edge;

/// <summary>
/// One origin (the scripted provider, strict about Host itself), two nginx edges in front of it
/// (HTTP, and TLS with a self-signed <c>localhost</c> certificate), and a gateway pointed at each
/// edge by name (<c>http(s)://localhost:PORT</c>) while its clients call it as <c>127.0.0.1</c>.
/// </summary>
public sealed class EdgeFixture : IAsyncLifetime
{
    public ScriptedUpstream Origin { get; private set; } = null!;
    public TestCertificate Certificate { get; } = TestCertificate.CreateForLocalhost();
    public NginxEdge PlainEdge { get; private set; } = null!;
    public NginxEdge TlsEdge { get; private set; } = null!;
    public TestGateway PlainGateway { get; private set; } = null!;
    public TestGateway TlsGateway { get; private set; } = null!;

    public TestGateway Gateway(string transport) => transport == "tls" ? TlsGateway : PlainGateway;

    public async Task InitializeAsync()
    {
        Origin = await ScriptedUpstream.StartAsync();
        PlainEdge = await NginxEdge.StartAsync(Origin.BaseUrl, tls: null);
        TlsEdge = await NginxEdge.StartAsync(Origin.BaseUrl, Certificate);
        PlainGateway = await TestGateway.StartAsync(PlainEdge.BaseUrl, PlainEdge.BaseUrl);
        TlsGateway = await TestGateway.StartAsync(TlsEdge.BaseUrl, TlsEdge.BaseUrl, new Dictionary<string, string?>
        {
            ["Headroom:Upstreams:CaBundle"] = Certificate.CertificatePem,
        });
    }

    public async Task DisposeAsync()
    {
        await TlsGateway.DisposeAsync();
        await PlainGateway.DisposeAsync();
        await TlsEdge.DisposeAsync();
        await PlainEdge.DisposeAsync();
        await Origin.DisposeAsync();
        Certificate.Dispose();
    }
}
