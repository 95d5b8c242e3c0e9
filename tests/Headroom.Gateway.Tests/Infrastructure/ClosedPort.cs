using System.Net;
using System.Net.Sockets;

namespace Headroom.Gateway.Tests.Infrastructure;

/// <summary>An upstream nobody listens on: a request routed to the wrong provider fails loudly.</summary>
internal static class ClosedPort
{
    public static string Url()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}";
    }
}
