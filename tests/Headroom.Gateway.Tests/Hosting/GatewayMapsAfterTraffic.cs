using System.Diagnostics;
using System.Net;
using System.Text;
using Headroom.Gateway.Tests.Caching;
using Headroom.Gateway.Tests.Infrastructure;

namespace Headroom.Gateway.Tests.Hosting;

/// <summary>
/// The files the real gateway process (embedded default) has mapped after start, a provider request and three
/// admin endpoints: started once for every test of <see cref="EmbeddedDefaultAssembliesTests"/>.
/// </summary>
public sealed class GatewayMapsAfterTraffic : IAsyncLifetime
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "headroom.dll");
    private readonly string _dir = Directory.CreateTempSubdirectory("headroom-embedded-").FullName;

    /// <summary>File names (no directory) of every mapping in /proc/PID/maps.</summary>
    public IReadOnlyList<string> Mapped { get; private set; } = [];

    public async Task InitializeAsync() => Mapped = await MappedAfterTrafficAsync();

    /// <summary>Starts the real gateway process, sends a provider request and reads admin endpoints, then lists its mapped files.</summary>
    private async Task<List<string>> MappedAfterTrafficAsync()
    {
        Assert.True(OperatingSystem.IsLinux(), "reads /proc/PID/maps; the gateway ships on Linux");
        await using var upstream = await ScriptedUpstream.StartAsync();
        upstream.Always("/v1/messages", UpstreamReply.Json(Requests.AnthropicReply(input: 10, output: 5)));
        var port = TestCertificate.FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Dll);
        start.ArgumentList.Add("proxy");
        start.Environment["HEADROOM__DATADIRECTORY"] = Path.Combine(_dir, "data");
        start.Environment["HEADROOM__PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["HEADROOM__UPSTREAMS__ANTHROPIC"] = upstream.BaseUrl;
        start.Environment.Remove("HEADROOM__STORE");
        using var gateway = Process.Start(start)!;
        var stdout = gateway.StandardOutput.ReadToEndAsync();
        var stderr = gateway.StandardError.ReadToEndAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            await WaitHealthyAsync(client, gateway);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent(Requests.Anthropic("You are terse.", 1), Encoding.UTF8, "application/json") };
            request.Headers.Add("x-api-key", "sk-ant-embedded");
            request.Headers.Add("anthropic-version", "2023-06-01");
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            foreach (var admin in (string[])["/telemetry/summary", "/telemetry/feed", "/metrics"])
            {
                using var answer = await client.GetAsync(admin);
                Assert.True(answer.IsSuccessStatusCode, $"{admin} answered {(int)answer.StatusCode}");
            }

            var mapped = File.ReadLines($"/proc/{gateway.Id}/maps")
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(fields => fields.Length >= 6)
                .Select(fields => Path.GetFileName(fields[5]))
                .Distinct(StringComparer.Ordinal)
                .ToList();
            Assert.Contains("headroom.dll", mapped);
            return mapped;
        }
        finally
        {
            gateway.Kill(entireProcessTree: true);
            await gateway.WaitForExitAsync();
            GC.KeepAlive(await stdout + await stderr);
        }
    }

    private static async Task WaitHealthyAsync(HttpClient client, Process gateway)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(gateway.HasExited, $"the gateway exited with {(gateway.HasExited ? gateway.ExitCode : 0)} before /healthz answered");
            try
            {
                using var health = await client.GetAsync("/healthz");
                if (health.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("/healthz did not answer within 60 s");
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // the killed gateway's files may still be closing; the OS temp cleaner takes them
        }

        return Task.CompletedTask;
    }
}
