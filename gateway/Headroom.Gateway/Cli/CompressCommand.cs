using System.CommandLine;
using System.Text;
using System.Text.Json;
using Headroom.Compressors.Models.Budget;
using Headroom.Compressors.Models.Setup;
using Headroom.Compressors.Pipeline;

namespace Headroom.Gateway.Cli;

/// <summary>
/// <c>headroom compress [FILE|-] [--query TEXT] [--type auto|json|log|search|diff|code|html|text]
/// [--scorer bm25|minilm|minilm-rerank|model:PATH] [--scorer-budget-ms N] [--scorer-candidates N] [--json]</c>:
/// runs the compression pipeline once. Plain mode prints the compressed text; <c>--json</c> prints
/// type, compressor, scorer (the one that decided: bm25 when a model fell back, with scorerFallback
/// saying why), compressMs, token counts, hash, output and the span map (UTF-8 byte offsets).
/// Bad usage (unknown type, unreadable file) is one line on stderr and exit code 2.
/// </summary>
internal static class CompressCommand
{
    private static readonly Dictionary<string, ContentType?> Types = new(StringComparer.Ordinal)
    {
        ["auto"] = null,
        ["json"] = ContentType.Json,
        ["log"] = ContentType.Log,
        ["search"] = ContentType.Search,
        ["diff"] = ContentType.Diff,
        ["code"] = ContentType.Code,
        ["html"] = ContentType.Html,
        ["text"] = ContentType.Text,
    };

    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "File to compress, or - for standard input.", DefaultValueFactory = _ => "-" };
        var query = new Option<string?>("--query") { Description = "What the agent is looking for; kept preferentially." };
        var type = new Option<string>("--type") { Description = "Content type: auto|json|log|search|diff|code|html|text.", DefaultValueFactory = _ => "auto" };
        var json = new Option<bool>("--json") { Description = "Print a JSON object with type, compressor, scorer, compressMs, token counts, hash, output and spans." };
        var scorer = new Option<string>("--scorer") { Description = "Prose scorer: bm25|minilm|minilm-rerank|model:PATH (a token-classifier folder).", DefaultValueFactory = _ => "bm25" };
        var scorerBudget = new Option<int>("--scorer-budget-ms") { Description = "Time the prose model may take; past it BM25 decides.", DefaultValueFactory = _ => (int)ModelScorerOptions.Default.Budget.TotalMilliseconds };
        var candidates = new Option<int>("--scorer-candidates") { Description = "BM25 candidates MiniLM re-scores.", DefaultValueFactory = _ => ModelScorerOptions.Default.Candidates };
        var store = CliStore.Option();
        var command = new Command("compress", "Compress one tool output the way the gateway would and print the result; the original stays retrievable (`headroom retrieve HASH`).") { file, query, type, scorer, scorerBudget, candidates, json, store };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var typeName = parse.GetValue(type) ?? "auto";
            if (!Types.TryGetValue(typeName, out var forced))
            {
                await Console.Error.WriteLineAsync($"headroom compress: unknown --type '{typeName}'; use one of {string.Join('|', Types.Keys)}.").ConfigureAwait(false);
                return 2;
            }

            var scorerName = parse.GetValue(scorer) ?? "bm25";
            if (!ProseScorers.IsKnown(scorerName))
            {
                await Console.Error.WriteLineAsync($"headroom compress: unknown --scorer '{scorerName}'; use one of {string.Join('|', ProseScorers.Names)}|model:PATH.").ConfigureAwait(false);
                return 2;
            }

            var path = parse.GetValue(file) ?? "-";
            string text;
            try
            {
                text = path == "-"
                    ? await new StreamReader(Console.OpenStandardInput(), Encoding.UTF8).ReadToEndAsync(cancellationToken).ConfigureAwait(false)
                    : await File.ReadAllTextAsync(path, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                await Console.Error.WriteLineAsync($"headroom compress: cannot read '{path}': {ex.Message}").ConfigureAwait(false);
                return 2;
            }

            // A one-shot process pays JIT and regex compilation inside the first call, so the CLI
            // allows more than the gateway's 50 ms per-call budget.
            using var scorers = ProseScorers.Load(scorerName, ModelScorerOptions.Default with
            {
                Budget = TimeSpan.FromMilliseconds(Math.Max(0, parse.GetValue(scorerBudget))),
                Candidates = Math.Max(1, parse.GetValue(candidates)),
            });
            if (scorers.Status.Error is { } loadError)
            {
                await Console.Error.WriteLineAsync($"headroom compress: {loadError}").ConfigureAwait(false);
            }

            var pipeline = new CompressionPipeline(scorers.CreateRegistry(), PipelineOptions.Default with { TimeBudget = TimeSpan.FromSeconds(5) });
            var result = pipeline.Compress(text, new CompressionRequest { Query = parse.GetValue(query) }, forced);
            if (result.Lossy)
            {
                // The marker names a hash: keep the original retrievable under the CLI's tenant.
                await using var provenance = await CliStore.OpenAsync(parse.GetValue(store), cancellationToken).ConfigureAwait(false);
                await provenance.Originals.PutAsync(Headroom.Provenance.Originals.TenantId.Local, Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
            }

            using var stdout = Console.OpenStandardOutput();
            if (parse.GetValue(json))
            {
                await stdout.WriteAsync(ToJson(result), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await stdout.WriteAsync(Encoding.UTF8.GetBytes(result.Output), cancellationToken).ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }

    internal static byte[] ToJson(CompressionResult result)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            w.WriteStartObject();
            w.WriteString("type", result.Type.ToString().ToLowerInvariant());
            w.WriteString("compressor", result.Compressor);
            if (result.Scorer is not null)
            {
                w.WriteString("scorer", result.Scorer);
            }

            if (result.ScorerFallback is not null)
            {
                w.WriteString("scorerFallback", result.ScorerFallback);
            }

            w.WriteNumber("compressMs", Math.Round(result.Elapsed.TotalMilliseconds, 2));
            w.WriteNumber("tokensBefore", result.TokensBefore);
            w.WriteNumber("tokensAfter", result.TokensAfter);
            w.WriteString("hash", result.Hash);
            w.WriteString("output", result.Output);
            w.WriteStartArray("spans");
            foreach (var s in result.Spans)
            {
                w.WriteStartObject();
                w.WriteString("kind", s.Kind.ToString().ToLowerInvariant());
                w.WriteNumber("outStart", s.OutStart);
                w.WriteNumber("outEnd", s.OutEnd);
                w.WriteNumber("srcStart", s.SrcStart);
                w.WriteNumber("srcEnd", s.SrcEnd);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (result.Reason is not null)
            {
                w.WriteString("reason", result.Reason);
            }

            w.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }
}
