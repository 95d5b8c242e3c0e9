using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Headroom.Gateway.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Headroom.Gateway.Tests.Clients;

/// <summary>
/// One headless run of the real Gemini CLI through the gateway to a scripted Gemini API:
/// (1) the model calls the CLI's shell tool, <c>cat server.log</c> (25 KB);
/// (2) the output must reach the upstream compressed (a marker, both failed invoices, the CLI's
///     <c>&lt;untrusted_context&gt;</c> wrapper kept), with <c>headroom_retrieve</c> declared from the first
///     request and <c>tools</c>/<c>systemInstruction</c> bytes unchanged; the model asks for the marker's hash;
/// (3) the gateway answers that call itself with the original log, and the model calls <c>cat other.log</c>;
/// (4) the first output is replayed byte-identical; the model says "done".
/// The CLI must exit 0 having printed "done" and never have seen the retrieve tool. A recorder between the CLI and
/// the gateway keeps the client's own requests apart from the ones the gateway sends. The upstream answers
/// plain, then gzip-coded as Google's edge does when the request accepts it.
/// </summary>
public sealed class GeminiCliSessionTests(ITestOutputHelper output)
{
    private const string Model = "gemini-3.1-pro-preview";
    private const string ApiKey = "AIzaSyGeminiCliSessionTestKey0000000000";
    private const string StreamPath = $"/v1beta/models/{Model}:streamGenerateContent?alt=sse";
    private const string Prompt = "Read server.log, then other.log, and tell me which invoices failed to charge.";
    private const string Wrapper = "<untrusted_context>\nOutput: ";
    private const string WrapperEnd = "\n</untrusted_context>";

    [GeminiCliTheory]
    [InlineData("identity")]
    [InlineData("gzip")]
    public async Task OneRun_OutputCompressed_RetrieveServedInside_ReplayByteIdentical_ClientNeverSeesTheTool(string upstreamCoding)
    {
        Assert.True(GeminiCli.IsInstalled, GeminiCli.MissingMessage);
        var dir = Path.Combine(Path.GetTempPath(), "headroom-gemini-cli-" + Guid.NewGuid().ToString("N"));
        var workspace = Path.Combine(dir, "project");
        Directory.CreateDirectory(workspace);
        var serverLog = ServerLogs.Server();
        var otherLog = ServerLogs.Other();
        await File.WriteAllTextAsync(Path.Combine(workspace, "server.log"), serverLog);
        await File.WriteAllTextAsync(Path.Combine(workspace, "other.log"), otherLog);

        var script = new GeminiSessionScript(Model);
        CliRun run;
        List<(RecordedRequest Request, int Status, string Answer)> client;
        List<RecordedRequest> refused;
        string authority;
        try
        {
            await using var upstream = await GeminiScriptedUpstream.StartAsync(script.Answer, gzip: upstreamCoding == "gzip");
            var closed = ClosedPort.Url(); // Anthropic and OpenAI: a wrong route fails loudly
            await using var gateway = await TestGateway.StartAsync(closed, closed, new Dictionary<string, string?> { ["Headroom:Upstreams:Gemini"] = upstream.BaseUrl });
            await using var recorder = await ClientSideRecorder.StartAsync(gateway.Address);
            var clock = global::System.Diagnostics.Stopwatch.StartNew();
            run = await GeminiCli.RunAsync(workspace, Path.Combine(dir, "home"), recorder.BaseUrl, ApiKey, Model, Prompt, TimeSpan.FromSeconds(120));
            output.WriteLine($"the CLI ran {clock.Elapsed.TotalSeconds:F1} s");
            client = [.. recorder.Exchanges];
            refused = [.. upstream.Refused];
            authority = upstream.Authority;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        output.WriteLine($"Gemini CLI {GeminiCli.Version} ({GeminiCli.ExpectedPath}), model {Model}, upstream answers {upstreamCoding}");
        output.WriteLine(run.ToString());
        var seen = script.Seen.ToList();
        var checks = new List<(bool Ok, string What, string Detail)>();
        void Check(bool ok, string what, string detail = "") => checks.Add((ok, what, detail));
        output.WriteLine($"client → gateway: {client.Count} request(s); gateway → upstream: {string.Join(", ", seen.Select(s => s.Step))}");

        // The run as the person at the terminal sees it.
        Check(run.ExitCode == 0, "the CLI exited 0", $"exit {run.ExitCode?.ToString() ?? "none (killed)"}");
        Check(run.Stdout.Contains(GeminiSessionScript.FinalText, StringComparison.Ordinal), "the CLI printed the final answer", run.Stdout.Trim());

        // The edge: every request reached the upstream with the upstream's own authority, the right route and the key.
        Check(refused.Count == 0, "no upstream request refused for a foreign Host (421)", string.Join("; ", refused.Select(r => r.Headers["host"])));
        var upstreamRequests = seen.Select(s => s.Request).ToList();
        Check(upstreamRequests.Count > 0 && upstreamRequests.All(r => r.Method == "POST" && r.PathAndQuery == StreamPath && r.Headers["host"] == authority &&
                r.Headers.GetValueOrDefault("x-goog-api-key") == ApiKey),
            $"every upstream request is POST {StreamPath} with Host {authority} and the client's x-goog-api-key",
            string.Join("; ", upstreamRequests.Select(r => $"{r.Method} {r.PathAndQuery} host={r.Headers["host"]}")));
        if (upstreamCoding == "gzip")
        {
            Check(upstreamRequests.Count > 0 && upstreamRequests.All(r => r.Headers.GetValueOrDefault("accept-encoding", "").Contains("gzip", StringComparison.OrdinalIgnoreCase)),
                "every upstream request accepted gzip, so every answer came gzip-coded",
                string.Join("; ", upstreamRequests.Select(r => "accept-encoding: " + r.Headers.GetValueOrDefault("accept-encoding", "(none)"))));
        }

        // The client's own side: three requests, all answered, none naming our tool, and no answer showing it.
        var clientBodies = client.Select(c => GeminiWire.Parse(c.Request.Body)).ToList();
        Check(client.Count == 3 && client.All(c => c.Status == 200 && c.Request.PathAndQuery == StreamPath),
            "the CLI sent 3 requests (prompt, first output, second output), each answered 200",
            string.Join("; ", client.Select(c => $"{c.Status} {c.Request.PathAndQuery}")));
        Check(clientBodies.All(b => GeminiWire.FunctionCalls(b).Concat(GeminiWire.FunctionResponses(b)).All(p => p.Name != GeminiWire.RetrieveTool)) &&
              client.All(c => !c.Answer.Contains(GeminiWire.RetrieveTool, StringComparison.Ordinal)),
            "the CLI never saw headroom_retrieve: no call or response of it in its requests, no mention in the streams it got");
        Check(clientBodies.Count == 3 && GeminiWire.FunctionCalls(clientBodies[2]).Select(c => c.Name).SequenceEqual([GeminiSessionScript.ShellTool, GeminiSessionScript.ShellTool]),
            "the CLI's request after the retrieve holds its two shell calls only",
            clientBodies.Count == 3 ? string.Join(", ", GeminiWire.FunctionCalls(clientBodies[2]).Select(c => c.Name)) : "");
        var clientFirstOutput = clientBodies.Count >= 2 ? GeminiWire.FunctionResponses(clientBodies[1]).Select(r => GeminiWire.Output(r.Part)).FirstOrDefault() : null;
        Check(clientFirstOutput is not null && clientFirstOutput.StartsWith(Wrapper, StringComparison.Ordinal) && clientFirstOutput.EndsWith(WrapperEnd, StringComparison.Ordinal) &&
              clientFirstOutput.Contains(serverLog, StringComparison.Ordinal),
            "the CLI sent the whole log as functionResponse.response.output inside <untrusted_context>\\nOutput: ... </untrusted_context>",
            Head(clientFirstOutput));

        // The steps the model took: every one recognised, the retrieve among them.
        Check(seen.Select(s => s.Step).SequenceEqual([GeminiStep.Prompt, GeminiStep.FirstOutput, GeminiStep.RetrieveAnswer, GeminiStep.SecondOutput]),
            "the upstream saw prompt, first output, the gateway's retrieve answer, second output, in that order",
            string.Join(", ", seen.Select(s => s.Step)));

        // (2) Declared from the first request, and the prefix bytes never move.
        var upstreamBodies = upstreamRequests.Select(r => GeminiWire.Parse(r.Body)).ToList();
        var declared = upstreamBodies.Select(GeminiWire.DeclaredFunctions).ToList();
        Check(declared.Count > 0 && declared.All(d => d.Contains(GeminiWire.RetrieveTool)),
            "every upstream request, from the first, declares headroom_retrieve among its functionDeclarations",
            string.Join(" | ", declared.Select((d, i) => $"#{i}: {d.Count} declared, retrieve {(d.Contains(GeminiWire.RetrieveTool) ? "in" : "absent")}")));
        Check(upstreamBodies.Select(b => GeminiWire.Raw(b, "tools")).Distinct().Count() == 1 && upstreamBodies.Select(b => GeminiWire.Raw(b, "systemInstruction")).Distinct().Count() == 1,
            "tools and systemInstruction are byte-identical on every upstream request",
            $"{upstreamBodies.Select(b => GeminiWire.Raw(b, "tools")).Distinct().Count()} distinct tools, {upstreamBodies.Select(b => GeminiWire.Raw(b, "systemInstruction")).Distinct().Count()} distinct systemInstruction");
        Check(clientBodies.Count > 0 && upstreamBodies.Count > 0 && GeminiWire.Raw(clientBodies[0], "contents") == GeminiWire.Raw(upstreamBodies[0], "contents"),
            "the prompt's contents reached the upstream byte-identical");

        // (2) The first output, compressed.
        var first = seen.FirstOrDefault(s => s.Step == GeminiStep.FirstOutput);
        using var firstBody = first.Request is null ? null : GeminiWire.Parse(first.Request.Body);
        JsonElement? forwardedFirst = firstBody is null ? null : GeminiWire.FunctionResponses(firstBody).First(r => r.Name == GeminiSessionScript.ShellTool).Part;
        var forwardedOutput = forwardedFirst is { } f ? GeminiWire.Output(f) : null;
        var marker = GeminiWire.Marker().Match(forwardedOutput ?? "");
        Check(forwardedOutput is not null && forwardedOutput.Length < serverLog.Length && marker.Success &&
              forwardedOutput.Contains(ServerLogs.FirstInvoice, StringComparison.Ordinal) && forwardedOutput.Contains(ServerLogs.SecondInvoice, StringComparison.Ordinal),
            "the first output reached the upstream compressed: shorter than the log, a [headroom: ... hash=] marker, inv_4121 and inv_4287 kept",
            $"{forwardedOutput?.Length:N0} chars forwarded for a {serverLog.Length:N0}-char log, marker {(marker.Success ? marker.Value : "absent")}");
        Check(forwardedOutput is not null && forwardedOutput.StartsWith("<untrusted_context>", StringComparison.Ordinal) && forwardedOutput.EndsWith("</untrusted_context>", StringComparison.Ordinal),
            "the compressed output keeps the CLI's <untrusted_context> wrapper", Head(forwardedOutput));

        // (3) The gateway answered the model's headroom_retrieve itself.
        var retrieve = seen.FirstOrDefault(s => s.Step == GeminiStep.RetrieveAnswer);
        using var retrieveBody = retrieve.Request is null ? null : GeminiWire.Parse(retrieve.Request.Body);
        List<string> answer = retrieveBody is null ? [] : GeminiWire.ResponseStrings(GeminiWire.FunctionResponses(retrieveBody).Last(r => r.Name == GeminiWire.RetrieveTool).Part);
        var original = answer.FirstOrDefault(a => a.Contains(serverLog, StringComparison.Ordinal));
        Check(original is not null && original.Split('\n').Count(l => l.Contains(" INFO [", StringComparison.Ordinal)) == ServerLogs.InfoLines &&
              original.Contains(ServerLogs.FirstInvoice, StringComparison.Ordinal) && original.Contains(ServerLogs.SecondInvoice, StringComparison.Ordinal),
            "the gateway answered headroom_retrieve upstream with the original log byte for byte (328 INFO lines, both invoices)",
            retrieveBody is null ? "no request carried a headroom_retrieve functionResponse" : $"answer strings: {string.Join(", ", answer.Select(a => a.Length.ToString("N0") + " chars"))}");
        var retrieveCall = retrieveBody is null ? null : GeminiWire.FunctionCalls(retrieveBody).Where(c => c.Name == GeminiWire.RetrieveTool).Select(c => (JsonElement?)c.Part).LastOrDefault();
        Check(retrieveCall is { } call && call.GetProperty("functionCall").GetProperty("args").GetProperty("hash").GetString() == first.Hash && first.Hash is not null &&
              call.TryGetProperty("thoughtSignature", out var signature) && signature.GetString() == GeminiSessionScript.RetrieveSignature,
            "the retrieve exchange sent upstream repeats the model's call with its hash and its thoughtSignature", retrieveCall?.GetRawText() ?? "no call");

        // (4) Replay: the first output's bytes as forwarded in (2).
        var second = seen.FirstOrDefault(s => s.Step == GeminiStep.SecondOutput);
        using var secondBody = second.Request is null ? null : GeminiWire.Parse(second.Request.Body);
        JsonElement? replayed = secondBody is null ? null : GeminiWire.FunctionResponses(secondBody).Where(r => r.Name == GeminiSessionScript.ShellTool).Select(r => (JsonElement?)r.Part).FirstOrDefault();
        Check(forwardedFirst is { } before && replayed is { } after && before.GetRawText() == after.GetRawText(),
            "the first output was replayed on the last request byte-identical to what was forwarded in (2)",
            replayed is { } r2 ? $"{r2.GetRawText().Length:N0} chars replayed, {forwardedFirst?.GetRawText().Length:N0} forwarded before" : "no last request");

        foreach (var (ok, what, detail) in checks)
        {
            output.WriteLine($"{(ok ? "PASS" : "FAIL")}  {what}{(detail.Length > 0 ? $"  [{detail}]" : "")}");
        }

        foreach (var body in clientBodies.Concat(upstreamBodies))
        {
            body.Dispose();
        }

        var failed = checks.Where(c => !c.Ok).Select(c => $"{c.What} [{c.Detail}]").ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} of {checks.Count} checks failed:\n" + string.Join("\n", failed) + "\n" + run);
    }

    private static string Head(string? text) =>
        text is null ? "(none)" : text.Length <= 160 ? text : $"{text[..80]} ... {text[^80..]}".ReplaceLineEndings("\\n");
}
