using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Headroom.Gateway.Tests.Infrastructure;

namespace Headroom.Gateway.Tests.Dashboard;

/// <summary>/dashboard follows the admin rules of /metrics and /telemetry/*, and is self-contained.</summary>
public sealed class DashboardEndpointTests
{
    [Fact]
    public async Task Dashboard_WithAnAdminToken_AnswersTheBearerOnly_AndServesItsEmbeddedFiles()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream, new Dictionary<string, string?> { ["Headroom:AdminToken"] = "dash-secret" });

        foreach (var path in new[] { "/dashboard", "/dashboard/dashboard.js", "/dashboard/dashboard.css" })
        {
            using var anonymous = await gateway.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode);
            using var wrong = await SendAsync(gateway, path, "not-it");
            Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        }

        using var page = await SendAsync(gateway, "/dashboard", "dash-secret");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var html = await page.Content.ReadAsStringAsync();

        // Offline: every file the page names is served by the gateway itself, none from elsewhere.
        var referenced = Regex.Matches(html, "(?:src|href)=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["/dashboard/dashboard.css", "/dashboard/dashboard.js", "data:,"], referenced.Order(StringComparer.Ordinal));
        foreach (var asset in referenced.Where(r => r.StartsWith('/')))
        {
            using var file = await SendAsync(gateway, asset, "dash-secret");
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
            var text = await file.Content.ReadAsStringAsync();
            Assert.DoesNotMatch(@"https?://(?!www\.w3\.org/2000/svg')", text); // the SVG namespace is a name, not a fetch

            // Revalidation by ETag.
            using var again = new HttpRequestMessage(HttpMethod.Get, asset);
            again.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "dash-secret");
            again.Headers.IfNoneMatch.Add(file.Headers.ETag!);
            using var notModified = await gateway.Client.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        }

        using var missing = await SendAsync(gateway, "/dashboard/nothing.js", "dash-secret");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Empty(upstream.Requests); // the dashboard is the gateway's own, never forwarded
    }

    [Fact]
    public async Task Dashboard_WithoutAToken_AnswersLoopbackCallers()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(upstream);
        using var page = await gateway.Client.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<title>Headroom gateway</title>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> SendAsync(TestGateway gateway, string path, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return gateway.Client.SendAsync(request);
    }
}
