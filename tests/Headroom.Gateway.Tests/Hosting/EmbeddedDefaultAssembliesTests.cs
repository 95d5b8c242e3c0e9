using System.Diagnostics;
using System.Net;
using System.Text;
using Headroom.Gateway.Tests.Caching;
using Headroom.Gateway.Tests.Infrastructure;

namespace Headroom.Gateway.Tests.Hosting;

/// <summary>
/// On its embedded SQLite default the gateway never loads the PostgreSQL side (Marten, JasperFx, Weasel, Npgsql):
/// their assemblies are megabytes of mapped files and types in a process that uses none of them. Checked on the
/// real gateway process (this test process has them loaded for the PostgreSQL tests), after start and a request.
/// Each mapped assembly is resident memory from then on (the soak bench's RSS target is 150 MB).
/// </summary>
public sealed class EmbeddedDefaultAssembliesTests : IDisposable
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "headroom.dll");
    private static readonly string[] PostgresSide = ["Marten", "JasperFx", "Weasel", "Npgsql"];
    private static readonly string[] RuntimeOnlyWhenAskedFor = ["System.Linq.Expressions.dll", "System.Reflection.Metadata.dll", "System.IO.FileSystem.Watcher.dll"];
    private readonly string _dir = Directory.CreateTempSubdirectory("headroom-embedded-").FullName;

    [Fact]
    public async Task EmbeddedStore_AfterStartAndARequest_HasNoPostgresAssemblyMapped()
    {
        var mapped = await MappedAfterTrafficAsync();
        var postgresSide = string.Join(", ", mapped.Where(file => PostgresSide.Any(p => file.StartsWith(p, StringComparison.Ordinal))));
        Assert.True(postgresSide.Length == 0, $"the embedded default mapped {postgresSide}");
    }

    /// <summary>
    /// Nor what the gateway has no use for at run time: the expression compiler (minimal-API endpoints are bound by
    /// the request delegate generator, not compiled on the first request), the metadata reader (the version is a
    /// build constant, not read back from the file), the file watcher (appsettings.json is read, not watched).
    /// </summary>
    [Fact]
    public async Task EmbeddedStore_AfterStartAndRequests_HasNoExpressionCompilerMetadataReaderOrFileWatcherMapped()
    {
        var mapped = await MappedAfterTrafficAsync();
        var loaded = string.Join(", ", mapped.Where(file => RuntimeOnlyWhenAskedFor.Contains(file, StringComparer.Ordinal)));
        Assert.True(loaded.Length == 0, $"the gateway mapped {loaded}");
    }

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

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // the killed gateway's files may still be closing; the OS temp cleaner takes them
        }
    }
}
