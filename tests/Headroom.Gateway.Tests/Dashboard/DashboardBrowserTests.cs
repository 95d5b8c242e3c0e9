using System.Globalization;
using System.Text.Json;
using Headroom.Gateway.Tests.Caching;
using Headroom.Gateway.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Headroom.Gateway.Tests.Dashboard;

/// <summary>
/// The dashboard in a real browser (Debian's Chromium, headless, driven by Playwright): after scripted
/// traffic its figures equal /telemetry/summary, it follows the feed live, breaks show cause and position,
/// and a provenance view colours the spans of the forwarded text.
/// </summary>
public sealed class DashboardBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Dashboard_ShowsTheSummaryFigures_FollowsTheFeed_AndRendersProvenanceSpans()
    {
        Assert.True(File.Exists(Chromium), $"Chromium is missing at {Chromium}: install the Debian package 'chromium' (apt-get install -y chromium; scripts/test.sh does it).");
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var host = await CacheTestHost.StartAsync(upstream);
        var ids = await DashboardTraffic.RunAsync(upstream, host);
        Assert.Equal(4, (await host.FeedAsync(4)).Count);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 1000 } });
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") { errors.Add(message.Text); } };
        page.PageError += (_, error) => errors.Add(error);
        var external = new List<string>();
        page.Request += (_, request) => { if (!request.Url.StartsWith(host.Client.BaseAddress!.ToString(), StringComparison.Ordinal)) { external.Add(request.Url); } };

        await page.GotoAsync(host.Client.BaseAddress + "dashboard");
        await WaitForTileAsync(page, "requests", "4");
        await AssertTotalsEqualSummaryAsync(page, host);

        // Sessions: the drift session's break, with its cause and position from the feed.
        using (var summary = await SummaryAsync(host))
        {
            foreach (var session in summary.RootElement.GetProperty("sessions").EnumerateArray())
            {
                var name = session.GetProperty("session").GetString()!;
                var row = page.Locator($"#sessions tr[data-session='{name}'] td");
                Assert.Equal(session.GetProperty("cacheBreaks").GetInt64().ToString(CultureInfo.InvariantCulture), await row.Nth(3).GetAttributeAsync("data-value"));
                Assert.Equal(session.GetProperty("lastVerdict").GetString(), await row.Nth(4).TextContentAsync());
            }
        }

        var breaks = page.Locator("#sessions tr.break[data-break-of='drift']");
        Assert.Equal(1, await breaks.CountAsync());
        Assert.Equal(ids[3], await breaks.GetAttributeAsync("data-request"));
        Assert.Equal("system_changed", await breaks.Locator(".cause").TextContentAsync());
        Assert.StartsWith("system", await breaks.Locator(".at").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("#sessions tr.break[data-break-of='sre']").CountAsync());

        // Tools ranked by tokens saved, figures as in the summary.
        var toolRows = page.Locator("#tools tbody tr");
        var first = toolRows.First;
        Assert.Equal("Bash", await first.GetAttributeAsync("data-tool"));
        using (var summary = await SummaryAsync(host))
        {
            var bash = summary.RootElement.GetProperty("tools").EnumerateArray().Single(t => t.GetProperty("tool").GetString() == "Bash");
            Assert.Equal(bash.GetProperty("tokensSaved").GetInt64().ToString(CultureInfo.InvariantCulture), await first.Locator("td").Nth(5).GetAttributeAsync("data-value"));
            Assert.True(bash.GetProperty("tokensSaved").GetInt64() > 1000);
        }

        var saved = new List<long>();
        for (var i = 0; i < await toolRows.CountAsync(); i++)
        {
            saved.Add(long.Parse((await toolRows.Nth(i).Locator("td").Nth(5).GetAttributeAsync("data-value"))!, CultureInfo.InvariantCulture));
        }

        Assert.Equal(saved.OrderDescending(), saved);

        // Live: one more request reaches the page through the long-polled feed, without a reload.
        upstream.Next(DashboardTraffic.Path, UpstreamReply.Json(Requests.AnthropicReply(input: 80, output: 5, read: 2100)));
        var fifth = (await host.PostAsync(DashboardTraffic.Path, DashboardTraffic.CompressedTurn(followUp: true), "sre")).RequestId;
        await WaitForTileAsync(page, "requests", "5");
        await page.Locator($"#requests tr[data-request='{fifth}']").WaitForAsync();
        await AssertTotalsEqualSummaryAsync(page, host);

        // A request that is no model call makes no feed line but counts in the summary: the page re-reads it.
        upstream.Always("/v1/models", UpstreamReply.Json("{\"data\":[]}"));
        using (var models = new HttpRequestMessage(HttpMethod.Get, "/v1/models"))
        {
            models.Headers.Add("x-api-key", "sk-test-key");
            models.Headers.Add("anthropic-version", "2023-06-01");
            (await host.Client.SendAsync(models)).Dispose();
        }

        await WaitForTileAsync(page, "requests", "6");
        await AssertTotalsEqualSummaryAsync(page, host);

        // Provenance of the replayed turn: the log output's spans, coloured, and its original one click away.
        await page.FillAsync("#provenance-id", ids[1]);
        await page.FillAsync("#provenance-key", "sk-test-key");
        await page.ClickAsync("#provenance-form button");
        var compressed = page.Locator("#provenance .block[data-compressor]:not([data-compressor=''])");
        await compressed.First.Locator("pre.spans .span").First.WaitForAsync();
        Assert.Equal(1, await compressed.CountAsync());
        Assert.Contains("replayed", await compressed.GetAttributeAsync("class"), StringComparison.Ordinal);
        Assert.Equal("Bash", (await compressed.Locator(".tool").TextContentAsync())?.Replace("tool ", "", StringComparison.Ordinal));
        Assert.Equal("$ cat job.log", await compressed.Locator(".from").TextContentAsync());
        var kinds = await compressed.Locator("pre.spans .span").EvaluateAllAsync<string[]>("spans => spans.map(s => s.dataset.sourceKind || s.dataset.kind)");
        Assert.Contains("kept", kinds);
        Assert.Contains("marker", kinds);
        Assert.All(await compressed.Locator("pre.spans .span[data-source-kind]").EvaluateAllAsync<string[]>("spans => spans.map(s => s.dataset.kind)"), k => Assert.Equal("replayed", k));
        var forwarded = await compressed.Locator("pre.spans").TextContentAsync();
        Assert.Contains(DashboardTraffic.LogLines[0], forwarded, StringComparison.Ordinal);
        Assert.Contains("[headroom:", forwarded, StringComparison.Ordinal);
        var unchanged = page.Locator("#provenance .block[data-compressor=''] .span.kept");
        Assert.True(await unchanged.CountAsync() > 0);

        // The fresh turn is coloured by kind (not replayed).
        await page.FillAsync("#provenance-id", ids[0]);
        await page.ClickAsync("#provenance-form button");
        await page.Locator($"#provenance .meta[data-request='{ids[0]}']").WaitForAsync();
        var fresh = page.Locator("#provenance .block[data-compressor]:not([data-compressor=''])");
        var freshKinds = await fresh.Locator("pre.spans .span").EvaluateAllAsync<string[]>("spans => spans.map(s => s.dataset.kind)");
        Assert.Contains("kept", freshKinds);
        Assert.Contains("marker", freshKinds);
        Assert.DoesNotContain("replayed", freshKinds);

        await fresh.Locator("a.original").ClickAsync();
        // The element shows "Reading the original…" until the fetch answers; wait for its answer, not its creation.
        var original = fresh.Locator("pre.original-text[data-state='loaded']");
        await original.WaitForAsync();
        Assert.Equal(string.Join('\n', DashboardTraffic.LogLines), await original.TextContentAsync());

        var directory = Path.Combine(AppContext.BaseDirectory, "dashboard");
        Directory.CreateDirectory(directory);
        var screenshot = Path.Combine(directory, "dashboard.png");
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot is written under the test output directory");
        Assert.Empty(external);
        Assert.Empty(errors);
    }

    private static async Task<JsonDocument> SummaryAsync(CacheTestHost host) =>
        JsonDocument.Parse(await host.Client.GetStringAsync("/telemetry/summary"));

    private static Task WaitForTileAsync(IPage page, string field, string value) =>
        page.WaitForFunctionAsync("([f, v]) => document.querySelector(`#totals .tile[data-field='${f}']`)?.dataset.value === v", new[] { field, value }, new() { Timeout = 30_000 });

    private static async Task AssertTotalsEqualSummaryAsync(IPage page, CacheTestHost host)
    {
        using var summary = await SummaryAsync(host);
        using var retrievals = JsonDocument.Parse(await host.Client.GetStringAsync("/telemetry/retrievals"));
        var root = summary.RootElement;
        var cost = root.GetProperty("cost");
        var usage = root.GetProperty("usage");
        var read = usage.GetProperty("cacheReadTokens").GetInt64();
        var everything = usage.GetProperty("inputTokens").GetInt64() + read + usage.GetProperty("cacheWrite5mTokens").GetInt64() + usage.GetProperty("cacheWrite1hTokens").GetInt64();
        var expected = new Dictionary<string, decimal>
        {
            ["requests"] = root.GetProperty("requests").GetInt64(),
            ["cost.tokensSaved"] = cost.GetProperty("tokensSaved").GetInt64(),
            ["cost.compressionSavedUsd"] = cost.GetProperty("compressionSavedUsd").GetDecimal(),
            ["cost.cachingSavedUsd"] = cost.GetProperty("cachingSavedUsd").GetDecimal(),
            ["savedUsd"] = cost.GetProperty("compressionSavedUsd").GetDecimal() + cost.GetProperty("cachingSavedUsd").GetDecimal(),
            ["cost.billedUsd"] = cost.GetProperty("billedUsd").GetDecimal(),
            ["cost.noGatewayUsd"] = cost.GetProperty("noGatewayUsd").GetDecimal(),
            ["retrievals"] = retrievals.RootElement.EnumerateArray().Sum(r => r.GetProperty("retrieved").GetInt64()),
        };
        Assert.True(expected["cost.compressionSavedUsd"] > 0 && expected["cost.cachingSavedUsd"] != 0, "the traffic saves by compression and by caching");
        foreach (var (field, value) in expected)
        {
            var tile = page.Locator($"#totals .tile[data-field='{field}']");
            Assert.Equal(value, decimal.Parse((await tile.GetAttributeAsync("data-value"))!, NumberStyles.Float, CultureInfo.InvariantCulture));
            var shown = await tile.Locator(".value").TextContentAsync();
            Assert.Equal(field.EndsWith("Usd", StringComparison.Ordinal) ? Usd(value) : value.ToString("N0", CultureInfo.InvariantCulture), shown);
        }

        var rate = decimal.Parse((await page.Locator("#totals .tile[data-field='cacheHitRate']").GetAttributeAsync("data-value"))!, NumberStyles.Float, CultureInfo.InvariantCulture);
        Assert.Equal((double)read / everything, (double)rate, 12);
    }

    private static string Usd(decimal v) => (v < 0 ? "-$" : "$") + Math.Abs(v).ToString("0.0000", CultureInfo.InvariantCulture);
}
