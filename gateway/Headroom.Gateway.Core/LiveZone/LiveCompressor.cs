using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Headroom.Compressors.Pipeline;
using Headroom.Gateway.Hosting;
using Headroom.Gateway.Providers;
using Headroom.Provenance.Originals;
using Microsoft.Extensions.Options;

namespace Headroom.Gateway.LiveZone;

/// <summary>
/// The live-zone pass over one request:
/// 1. walk the body for tool outputs (byte ranges, no deserialisation);
/// 2. every tool output seen before gets exactly the bytes forwarded for it last time (replay);
/// 3. new tool outputs after the last model turn go through the compression pipeline; lossy
///    results store their original for retrieval, and every decision is recorded for replay;
/// 4. <c>headroom_retrieve</c> is appended to the tools of every request that declares tools, from
///    the session's first request on, whether or not anything was compressed yet: <c>tools</c> is the
///    first level of the provider's prefix cache, so adding it later would re-write the whole cached
///    prefix once per session. The rule reads the request alone, so replicas and rotated credentials
///    agree on it. A request that declares no tools gets the tool only while it carries a marker;
/// 5. the replacements are spliced into the original bytes.
/// Replay is keyed by the output's bytes alone (compression is deterministic), so a rotated token,
/// another replica or another tenant sending the same output gets the same bytes. Originals stay
/// per tenant: when a lossy decision is replayed to a tenant that does not hold the original yet,
/// the original is stored for it from the bytes it just sent, so its retrievals keep working.
/// </summary>
internal sealed class LiveCompressor
{
    private static readonly JsonWriterOptions TokenWriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly CompressionPipeline _pipeline;
    private readonly ReplayCache _replay;
    private readonly IOriginalsStore _originals;
    private readonly CompressionOptions _options;
    private readonly HashSet<string> _excluded;
    private readonly IRequestPlanner[] _planners;
    private readonly Retrieval.RetrievalLearning _learning;
    private readonly TenantOriginals _held = new();
    private readonly Hosting.TenantResolver _tenants;

    public LiveCompressor(CompressionPipeline pipeline, ReplayCache replay, IOriginalsStore originals, IOptions<GatewayOptions> options, IEnumerable<IRequestPlanner> planners, Retrieval.RetrievalLearning learning, Hosting.TenantResolver tenants)
    {
        _tenants = tenants;
        _learning = learning;
        _planners = planners.ToArray();
        _pipeline = pipeline;
        _replay = replay;
        _originals = originals;
        _options = options.Value.Compression;
        _excluded = new HashSet<string>(_options.ExcludeTools, StringComparer.Ordinal);
    }

    public async Task<LiveResult> ProcessAsync(ReadOnlyMemory<byte> body, ApiKind api, IRequestHeaders headers, TenantId tenant, bool compress, CancellationToken cancellationToken)
    {
        // 1. Walk.
        var shape = RequestWalker.Walk(body.Span, api);
        if (shape is null)
        {
            return LiveResult.Unchanged; // not JSON this API understands: forwarded untouched
        }

        var session = SessionKeys.Resolve(headers, body.Span, shape);
        if (Hosting.TenantResolver.IsKeyless(tenant))
        {
            // No key to scope by: the conversation is the scope, so one keyless caller never reads another's originals.
            tenant = _tenants.ForKeylessSession(session);
        }

        var splices = new List<Splice>();
        var outcomes = new List<BlockOutcome>();
        var markerSent = false;
        string? query = null;
        var blocks = shape.Blocks;
        for (var i = 0; i < blocks.Count; i++) // by index: an interface foreach boxes its enumerator, kept across the awaits
        {
            var block = blocks[i];
            // Short outputs are never compressed, so they are never looked up either.
            if (block.Kind != BlockKind.ToolOutput || !block.IsString || block.Length < _options.MinChars)
            {
                continue;
            }

            // 2. Replay what was decided the first time this output was seen.
            var key = DecisionKeys.ByContent('c', body.Span[block.Start..block.End]); // the output's JSON bytes as the client sent them
            var entry = await _replay.TryGetAsync(key, cancellationToken).ConfigureAwait(false)
                ?? await AdoptLegacyAsync(key, tenant, body.Span[block.Start..block.End].ToArray(), cancellationToken).ConfigureAwait(false);
            BlockOutcome? fresh = null;
            if (entry is null)
            {
                if (!block.InLiveZone || !compress)
                {
                    continue; // history this gateway never changed, or compression is off: as sent
                }

                // 3. Compress a new output.
                query ??= shape.LatestUserText is { } q ? JsonRanges.DecodeString(body.Span, q) : "";
                var (decided, outcome) = await CompressAsync(body, block, tenant, query, cancellationToken).ConfigureAwait(false);
                entry = await _replay.AddAsync(key, decided, cancellationToken).ConfigureAwait(false);
                // Another replica may have decided first: then its bytes are the ones to send.
                fresh = decided.Token.AsSpan().SequenceEqual(entry.Token) ? outcome : null;
                if (fresh is not null && entry is { Token: not null, Hash: { } original })
                {
                    // Provenance records a forwarded text once; later requests that replay it refer to it by hash.
                    await _replay.AddAsync(ForwardedByOriginalKey(original), entry, cancellationToken).ConfigureAwait(false);
                }
            }

            if (entry.Token is null)
            {
                if (fresh is not null)
                {
                    outcomes.Add(fresh);
                }

                continue;
            }

            if (fresh is null && entry.Lossy && entry.Hash is { } held && !_held.Contains(tenant, held))
            {
                // Replayed to a tenant (a rotated token, another key) that may not hold the original: it just sent it.
                await _originals.PutAsync(tenant, Encoding.UTF8.GetBytes(JsonRanges.DecodeString(body.Span, (block.Start, block.End))), cancellationToken).ConfigureAwait(false);
                _held.Add(tenant, held);
            }

            splices.Add(new Splice(block.Start, block.End, entry.Token));
            markerSent |= entry.Lossy;
            outcomes.Add((fresh ?? new BlockOutcome
            {
                Block = block, Compressor = entry.Compressor, Hash = entry.Hash, TokensBefore = entry.TokensBefore,
                TokensAfter = entry.TokensAfter, Spans = entry.Spans, Replayed = true,
            }) with { ForwardedToken = entry.Token });
        }

        // 4. The retrieve tool: on every request that declares tools; on a tool-less one while it carries a
        //    marker. Both read the request alone (no store round trip per request), so replicas and rotated
        //    credentials agree. A tool-less conversation is append-only until its client compacts it, so once
        //    a marker is in it the tool stays until the client itself rewrites the history.
        var toolAdded = false;
        if (_options.Enabled && (shape.ToolCount > 0 || markerSent) && !shape.ToolNames.Contains(RetrieveTool.Name, StringComparer.Ordinal))
        {
            splices.Add(WireProtocols.For(api)!.DeclareRetrieveTool(body.Span, shape));
            toolAdded = true;
        }

        // 5. Planners (cache breakpoints, prompt_cache_key, ...), then splice.
        //    A planner that throws loses only its own additions: failing the whole pass would forward the request
        //    without the replayed outputs and the retrieve tool, a break of the session's cached prefix.
        var plan = new RequestPlan(body, shape, api, session, tenant, headers, splices, outcomes);
        List<string>? failures = null;
        foreach (var planner in _planners)
        {
            var splicesBefore = splices.Count;
            var outcomesBefore = outcomes.Count;
            try
            {
                await planner.PlanAsync(plan, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                splices.RemoveRange(splicesBefore, splices.Count - splicesBefore);
                outcomes.RemoveRange(outcomesBefore, outcomes.Count - outcomesBefore);
                (failures ??= []).Add($"{planner.GetType().Name}: {ex.GetType().Name}: {ex.Message}");
            }
        }

        splices.Sort(static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : (a.End - a.Start).CompareTo(b.End - b.Start));
        return new LiveResult
        {
            Body = splices.Count == 0 ? null : Splice.Apply(body.Span, splices),
            Shape = shape,
            SessionId = session,
            Outcomes = outcomes,
            RetrieveToolAdded = toolAdded,
            Annotations = plan.Annotations,
            PlannerFailures = failures ?? (IReadOnlyList<string>)[],
            Tenant = tenant,
        };
    }

    private async Task<(ReplayEntry Entry, BlockOutcome Outcome)> CompressAsync(ReadOnlyMemory<byte> body, ContextBlock block, TenantId tenant, string query, CancellationToken cancellationToken)
    {
        var asSent = new BlockOutcome { Block = block };
        if (block.ToolName is { } tool && _excluded.Contains(tool))
        {
            return (ReplayEntry.AsSent, asSent with { Reason = $"tool {tool} is excluded (Headroom:Compression:ExcludeTools)" });
        }

        if (_options.FreezeClientBreakpoints && block.HasCacheControl)
        {
            return (ReplayEntry.AsSent, asSent with { Reason = "carries the client's cache_control breakpoint" });
        }

        var text = JsonRanges.DecodeString(body.Span, (block.Start, block.End));
        var result = _pipeline.Compress(text, new CompressionRequest { Query = query, IsError = block.IsError, KeepFactor = _learning.KeepFactorFor(block.ToolName) });
        if (!result.Compressed)
        {
            return (ReplayEntry.AsSent, asSent with { Reason = result.Reason, TokensBefore = result.TokensBefore, TokensAfter = result.TokensAfter });
        }

        if (result.Lossy)
        {
            // The original must be retrievable before any marker naming it leaves the gateway.
            var stored = await _originals.PutAsync(tenant, Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
            if (!string.Equals(stored, result.Hash, StringComparison.Ordinal))
            {
                return (ReplayEntry.AsSent, asSent with { Reason = $"original store returned hash {stored}, marker names {result.Hash}" });
            }

            _held.Add(tenant, result.Hash);
            _learning.Compressed(block.ToolName, result.Compressor, result.Hash);
        }

        var entry = new ReplayEntry(EncodeToken(result.Output), result.Compressor, result.Hash, result.TokensBefore, result.TokensAfter, result.Lossy, result.Spans);
        return (entry, new BlockOutcome
        {
            Block = block, Compressor = result.Compressor, Hash = result.Hash, TokensBefore = result.TokensBefore, TokensAfter = result.TokensAfter, Spans = result.Spans,
            Scorer = result.Scorer, ScorerFallback = result.ScorerFallback,
        });
    }

    private static byte[] EncodeToken(string text)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(text.Length + 64);
        using (var writer = new Utf8JsonWriter(buffer, TokenWriterOptions))
        {
            writer.WriteStringValue(text);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// A decision stored by an earlier version under the tenant-scoped key: adopted under the content
    /// key, so sessions that span an upgrade keep their bytes (and their cached prefix).
    /// </summary>
    private async ValueTask<ReplayEntry?> AdoptLegacyAsync(string key, TenantId tenant, byte[] token, CancellationToken cancellationToken)
    {
        var legacy = await _replay.TryGetAsync(DecisionKeys.ByTenant('b', tenant, token), cancellationToken).ConfigureAwait(false);
        return legacy is null ? null : await _replay.AddAsync(key, legacy, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Where the forwarded text for an original (by its hash) is found again, for <c>/provenance/{id}?view=full</c>.</summary>
    public static string ForwardedByOriginalKey(string originalHash) => "o" + originalHash;
}
