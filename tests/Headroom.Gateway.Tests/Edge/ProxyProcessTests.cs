using System.Diagnostics;
using System.Net;
using System.Text;
using Headroom.Gateway.Tests.Infrastructure;

namespace Headroom.Gateway.Tests.Edge;

/// <summary>
/// The standard environment of a corporate machine, read by the real <c>headroom proxy</c> process
/// (these variables are read once per process): <c>SSL_CERT_FILE</c> names the trusted CAs,
/// <c>HTTPS_PROXY</c> the outbound proxy, <c>NO_PROXY</c> the hosts reached directly.
/// </summary>
public sealed class ProxyProcessTests
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "headroom.dll");

    [Fact]
    public async Task SslCertFileAndHttpsProxy_FromTheEnvironment_AreHonoured()
    {
        using var certificate = TestCertificate.CreateForLocalhost();
        await using var upstream = await ScriptedUpstream.StartAsync("localhost", certificate.Certificate);
        upstream.Always("/v1/messages", UpstreamReply.Json(Fixture.Text("anthropic-message-tool-use.json")));
        await using var proxy = new RecordingForwardProxy();

        var environment = new Dictionary<string, string>
        {
            ["SSL_CERT_FILE"] = certificate.CertificatePem,
            ["HTTPS_PROXY"] = proxy.Url,
            ["NO_PROXY"] = "",
        };
        Assert.Equal(HttpStatusCode.OK, await CallThroughProcessAsync(upstream.BaseUrl, environment));
        Assert.Contains(proxy.RequestLines, l => l.StartsWith($"CONNECT {upstream.Authority} ", StringComparison.Ordinal));

        var seen = proxy.RequestLines.Count;
        environment["NO_PROXY"] = "localhost";
        Assert.Equal(HttpStatusCode.OK, await CallThroughProcessAsync(upstream.BaseUrl, environment));
        Assert.Equal(seen, proxy.RequestLines.Count);
        Assert.Empty(upstream.Refused);
        Assert.Equal(2, upstream.Requests.Count);
    }

    private static async Task<HttpStatusCode> CallThroughProcessAsync(string anthropicUpstream, IReadOnlyDictionary<string, string> environment)
    {
        var data = Path.Combine(Path.GetTempPath(), "headroom-proc-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Dll, "proxy", "--port", "0", "--anthropic-upstream", anthropicUpstream, "--data-dir", data, "--Headroom:Compression:Enabled=false" })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        try
        {
            string? line;
            do
            {
                line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60))
                    ?? throw new InvalidOperationException("headroom proxy exited: " + await process.StandardError.ReadToEndAsync());
            }
            while (!line.StartsWith("headroom gateway listening on ", StringComparison.Ordinal));

            var address = line.Split(' ').First(w => w.StartsWith("http://", StringComparison.Ordinal));
            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri(address) };
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
            {
                Content = new StringContent("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("x-api-key", "sk-ant-process");
            request.Headers.Add("anthropic-version", "2023-06-01");
            using var response = await client.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            return response.StatusCode;
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }
}
