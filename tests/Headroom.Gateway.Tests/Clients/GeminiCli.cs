using System.Diagnostics;
using System.Text;

namespace Headroom.Gateway.Tests.Clients;

/// <summary>
/// The real Gemini CLI (npm <c>@google/gemini-cli</c>), run headless: found at <c>$HEADROOM_GEMINI_CLI</c> or in
/// the clients cache that <c>scripts/test.sh</c> fills, given its own HOME with API-key auth and nothing
/// that talks to Google (telemetry, usage statistics, update checks), and its base URL pointed at us.
/// </summary>
public static class GeminiCli
{
    public const string Version = "0.61.0";
    public const string PathVariable = "HEADROOM_GEMINI_CLI";
    public const string AllowMissingVariable = "HEADROOM_ALLOW_MISSING_CLIENTS";

    /// <summary>The settings file the CLI reads from <c>$HOME/.gemini/settings.json</c>.</summary>
    public const string Settings = """
        {
          "security": { "auth": { "selectedType": "gemini-api-key" } },
          "telemetry": { "enabled": false },
          "privacy": { "usageStatisticsEnabled": false },
          "general": { "enableAutoUpdate": false, "enableAutoUpdateNotification": false },
          "tools": { "useRipgrep": false }
        }
        """;

    public static string DefaultPath
    {
        get
        {
            var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
                ? xdg
                : Path.Combine(Environment.GetEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(cache, "headroom", "clients", "node_modules", ".bin", "gemini");
        }
    }

    /// <summary>Where the CLI should be: the variable when set, else the cache.</summary>
    public static string ExpectedPath => Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } set ? set : DefaultPath;

    public static bool IsInstalled => File.Exists(ExpectedPath);

    /// <summary>Why the CLI cannot run here, and how to get it.</summary>
    public static string MissingReason =>
        $"Gemini CLI {Version} not found at {ExpectedPath}: run scripts/test.sh (it installs npm @google/gemini-cli@{Version} into " +
        $"{Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(DefaultPath)))}), or set {PathVariable} to a gemini executable.";

    public static string MissingMessage => $"{MissingReason} Set {AllowMissingVariable}=1 to skip instead.";

    /// <summary>
    /// Runs <c>gemini -m MODEL -p PROMPT --yolo --skip-trust</c> in <paramref name="workspace"/> and waits for it to exit
    /// (killed after <paramref name="limit"/>, a guard against a hang, not a timing assertion).
    /// </summary>
    public static async Task<CliRun> RunAsync(string workspace, string home, string baseUrl, string apiKey, string model, string prompt, TimeSpan limit)
    {
        Directory.CreateDirectory(Path.Combine(home, ".gemini"));
        await File.WriteAllTextAsync(Path.Combine(home, ".gemini", "settings.json"), Settings);
        var start = new ProcessStartInfo(ExpectedPath)
        {
            WorkingDirectory = workspace,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        // -m: with no model the CLI first asks a routing classifier (a JSON generateContent call) that this run does not script.
        foreach (var argument in new[] { "-m", model, "-p", prompt, "--yolo", "--skip-trust", "--output-format", "text" })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.ToList())
        {
            if (name.StartsWith("GEMINI_", StringComparison.OrdinalIgnoreCase) || name.StartsWith("GOOGLE_", StringComparison.OrdinalIgnoreCase) ||
                name.EndsWith("_PROXY", StringComparison.OrdinalIgnoreCase) || name.StartsWith("CLOUDSDK_", StringComparison.OrdinalIgnoreCase))
            {
                start.Environment.Remove(name);
            }
        }

        start.Environment["HOME"] = home;
        start.Environment["XDG_CONFIG_HOME"] = Path.Combine(home, ".config");
        start.Environment["GEMINI_API_KEY"] = apiKey;
        start.Environment["GOOGLE_GEMINI_BASE_URL"] = baseUrl;
        start.Environment["NO_PROXY"] = "127.0.0.1,localhost";
        start.Environment["NO_COLOR"] = "1";

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {ExpectedPath}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var guard = new CancellationTokenSource(limit);
        var killed = false;
        try
        {
            await process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            killed = true;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        return new CliRun(killed ? null : process.ExitCode, await stdout, await stderr);
    }
}
