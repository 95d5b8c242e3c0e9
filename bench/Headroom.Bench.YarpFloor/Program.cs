using System.Diagnostics;
using System.Globalization;
using System.Net;
using Yarp.ReverseProxy.Forwarder;

// Arguments as the proxy bench passes them to a gateway: proxy --host H --port P --anthropic-upstream URL [--openai-upstream URL].
var host = "127.0.0.1";
var port = 8787;
string? upstream = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "proxy":
            break;
        case "--host":
            host = args[++i];
            break;
        case "--port":
            port = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--anthropic-upstream":
            upstream = args[++i];
            break;
        case "--openai-upstream":
            i++;
            break;
        default:
            Console.Error.WriteLine($"yarp-floor: unknown argument '{args[i]}'. Usage: yarp-floor proxy --host H --port P --anthropic-upstream URL");
            return 2;
    }
}

if (upstream is null)
{
    Console.Error.WriteLine("yarp-floor: --anthropic-upstream URL is required (every request is forwarded there).");
    return 2;
}

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseUrls(string.Create(CultureInfo.InvariantCulture, $"http://{host}:{port}"));
builder.Services.AddHttpForwarder();
var app = builder.Build();

// The same client settings a forwarding proxy needs: no proxy, no redirects, no decompression, no cookies.
using var invoker = new HttpMessageInvoker(new SocketsHttpHandler
{
    UseProxy = false,
    AllowAutoRedirect = false,
    AutomaticDecompression = DecompressionMethods.None,
    UseCookies = false,
    ActivityHeadersPropagator = null,
    ConnectTimeout = TimeSpan.FromSeconds(15),
});

app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
app.MapForwarder("/{**catch-all}", upstream, ForwarderRequestConfig.Empty, HttpTransformer.Default, invoker);
Console.WriteLine($"yarp-floor listening on http://{host}:{port}/ → {upstream} (pid {Environment.ProcessId})");
await app.RunAsync().ConfigureAwait(false);
return 0;
