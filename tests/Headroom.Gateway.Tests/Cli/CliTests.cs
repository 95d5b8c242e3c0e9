using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Headroom.Gateway.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Headroom.Gateway.Tests.Cli;

/// <summary>The `headroom` binary as a user runs it: compress stores the original, retrieve and mcp give it back.</summary>
public sealed class CliTests : IDisposable
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "headroom.dll");
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "headroom-cli-" + Guid.NewGuid().ToString("N"));

    public CliTests() => Directory.CreateDirectory(_dir);

    private string Store => "sqlite:" + Path.Combine(_dir, "cli.db");

    private async Task<(int Code, byte[] Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["HEADROOM__DATADIRECTORY"] = _dir;
        using var process = Process.Start(start)!;
        using var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await copy;
        return (process.ExitCode, stdout.ToArray(), await stderr);
    }

    [Fact]
    public async Task Compress_SaysWhichScorerDecided_AndWhyAModelFellBack()
    {
        var article = JsonDocument.Parse(File.ReadLines(SharedData.Path("qa", "squad_v1.1_dev_articles.jsonl")).First()).RootElement;
        var prose = Path.Combine(_dir, "article.txt");
        await File.WriteAllTextAsync(prose, string.Join("\n\n", article.GetProperty("paragraphs").EnumerateArray().Select(p => p.GetString())));

        var plain = await RunAsync("compress", prose, "--json", "--store", Store, "--query", "oil price");
        Assert.True(plain.Code == 0, plain.Stderr);
        using (var json = JsonDocument.Parse(plain.Stdout))
        {
            Assert.Equal("bm25", json.RootElement.GetProperty("scorer").GetString());
            Assert.False(json.RootElement.TryGetProperty("scorerFallback", out var none) && none.ValueKind != JsonValueKind.Null);
            Assert.True(json.RootElement.GetProperty("compressMs").GetDouble() > 0);
        }

        // MiniLM under a 1 ms budget cannot run: BM25 decides, and the output says so.
        var model = await RunAsync("compress", prose, "--json", "--store", Store, "--query", "oil price", "--scorer", "minilm", "--scorer-budget-ms", "1");
        Assert.True(model.Code == 0, model.Stderr);
        using (var json = JsonDocument.Parse(model.Stdout))
        {
            Assert.Equal("bm25", json.RootElement.GetProperty("scorer").GetString());
            Assert.Contains("budget", json.RootElement.GetProperty("scorerFallback").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Compress_ThenRetrieveAndMcp_GiveTheOriginalBackByteIdentical()
    {
        var log = Path.Combine(_dir, "app.log");
        File.Copy(SharedData.Path("logs", "Apache", "Apache_2k.log"), log);

        var (code, stdout, stderr) = await RunAsync("compress", log, "--json", "--store", Store);
        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var hash = json.RootElement.GetProperty("hash").GetString()!;
        Assert.Contains("headroom_retrieve hash=" + hash, json.RootElement.GetProperty("output").GetString(), StringComparison.Ordinal);

        var retrieved = await RunAsync("retrieve", hash, "--store", Store);
        Assert.Equal(0, retrieved.Code);
        Assert.Equal(await File.ReadAllBytesAsync(log), retrieved.Stdout);

        var unknown = await RunAsync("retrieve", "0123456789abcdef01234567", "--store", Store);
        Assert.Equal(2, unknown.Code);
        Assert.Single(unknown.Stderr.Trim().Split('\n'));

        // The same original through the stdio MCP server.
        var transport = new StdioClientTransport(new StdioClientTransportOptions { Name = "headroom", Command = "dotnet", Arguments = [Dll, "mcp", "--store", Store] });
        await using var client = await McpClient.CreateAsync(transport);
        var tools = await client.ListToolsAsync();
        Assert.Contains(tools, t => t.Name == "headroom_retrieve");
        var result = await client.CallToolAsync("headroom_retrieve", new Dictionary<string, object?> { ["hash"] = hash });
        Assert.NotEqual(true, result.IsError);
        Assert.Equal(await File.ReadAllTextAsync(log), Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
    }

    [Fact]
    public async Task UnknownType_IsOneClearLineAndExitCode2()
    {
        var (code, _, stderr) = await RunAsync("compress", "-", "--type", "yaml");

        Assert.Equal(2, code);
        Assert.Contains("unknown --type 'yaml'", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
