using System.Diagnostics;
using System.Net.Sockets;

namespace Headroom.Gateway.Tests.Infrastructure;

/// <summary>
/// Real nginx in front of a scripted upstream, configured like a CDN edge that routes by Host:
/// a default server answers 421 Misdirected Request to any other name, and the
/// <c>server_name localhost</c> server proxies to the origin, over HTTP or over TLS (HTTP/2 offered
/// by ALPN). <c>scripts/test.sh</c> installs nginx-light; without it the test fails with that advice.
/// </summary>
public sealed class NginxEdge : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private NginxEdge(Process process, string directory, int port, bool tls)
    {
        _process = process;
        _directory = directory;
        Port = port;
        BaseUrl = (tls ? "https" : "http") + "://localhost:" + port;
    }

    public int Port { get; }

    /// <summary>The edge's URL by name: what <c>--anthropic-upstream</c> gets.</summary>
    public string BaseUrl { get; }

    public string ErrorLog => File.Exists(Path.Combine(_directory, "error.log")) ? File.ReadAllText(Path.Combine(_directory, "error.log")) : "";

    public static async Task<NginxEdge> StartAsync(string origin, TestCertificate? tls)
    {
        var nginx = new[] { "/usr/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("nginx is not installed: run ./scripts/test.sh (it installs nginx-light) or `apt-get install nginx-light`.");
        var directory = Path.Combine(Path.GetTempPath(), "headroom-nginx-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var port = TestCertificate.FreePort();
        var listen = tls is null ? $"127.0.0.1:{port}" : $"127.0.0.1:{port} ssl http2";
        var certificates = tls is null ? "" : $"ssl_certificate {tls.CertificatePem}; ssl_certificate_key {tls.KeyPem};";
        // As root, nginx's workers would run as nobody and could not read the temp folder.
        var user = Environment.UserName == "root" ? "user root;" : "";
        var config = $$"""
            {{user}}
            worker_processes 1;
            daemon off;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log warn;
            events { worker_connections 256; }
            http {
                access_log off;
                client_body_temp_path {{directory}}/body;
                proxy_temp_path {{directory}}/proxy;
                fastcgi_temp_path {{directory}}/fastcgi;
                uwsgi_temp_path {{directory}}/uwsgi;
                scgi_temp_path {{directory}}/scgi;
                client_max_body_size 64m;
                {{certificates}}
                server {
                    listen {{listen}} default_server;
                    return 421 "misdirected: this edge does not serve $host\n";
                }
                server {
                    listen {{listen}};
                    server_name localhost;
                    location / {
                        proxy_pass {{origin}};
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_buffering off;
                        proxy_request_buffering off;
                    }
                }
            }
            """;
        var path = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(path, config);
        var start = new ProcessStartInfo(nginx) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-p", directory, "-c", path, "-e", Path.Combine(directory, "error.log") })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        var edge = new NginxEdge(process, directory, port, tls is not null);
        for (var i = 0; i < 100; i++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"nginx exited with {process.ExitCode}: {await process.StandardError.ReadToEndAsync()} {edge.ErrorLog}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port);
                return edge;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        await edge.DisposeAsync();
        throw new TimeoutException("nginx did not start listening within 5 s: " + edge.ErrorLog);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
