using System.Diagnostics;
using Headroom.Gateway.Caching;
using Headroom.Gateway.Pricing;
using Headroom.Gateway.Providers;
using Headroom.Provenance.Events;
using Microsoft.Extensions.Logging;

namespace Headroom.Gateway.Telemetry;

/// <summary>
/// After each model call: money (<see cref="CostModel"/>), the cache verdict checked against the provider's
/// reported reads, the OpenTelemetry span and histograms, then the request's one provenance event
/// (<see cref="ProvenanceRecorder"/>, through the non-blocking writer) carrying that account: the telemetry
/// feed's line. Requests that are not billed model calls (count_tokens) are recorded without an account.
/// Never throws into the request path.
/// </summary>
internal sealed partial class RequestAccountant : IRequestRecordSink
{
    private readonly ProvenanceRecorder _recorder;
    private readonly ModelPriceTable _prices;
    private readonly ILogger<RequestAccountant> _logger;

    public RequestAccountant(ProvenanceRecorder recorder, ModelPriceTable prices, ILogger<RequestAccountant> logger)
    {
        _recorder = recorder;
        _prices = prices;
        _logger = logger;
    }

    public void Record(RequestRecord record)
    {
        if (record.Api is ApiKind.Other)
        {
            return;
        }

        RequestAccounting? accounting = null;
        if (record.Api is not (ApiKind.AnthropicCountTokens or ApiKind.GeminiCountTokens))
        {
            try
            {
                accounting = Account(record);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Telemetry never throws into the request path; provenance is still recorded, without the account.
                AccountingFailed(_logger, record.RequestId, ex);
            }
        }

        _recorder.Record(record, accounting);
    }

    [LoggerMessage(1, LogLevel.Warning, "Accounting for request {RequestId} failed; the request itself was served and its provenance is recorded without cost or cache verdict")]
    private static partial void AccountingFailed(ILogger logger, string requestId, Exception exception);

    private RequestAccounting Account(RequestRecord record)
    {
        var cost = CostModel.Compute(record, _prices);
        var notes = CacheNotes.From(record.Live?.Annotations);
        var check = CacheCheck.Of(notes, record.Usage, record.Provider == Provider.Anthropic);
        var usage = record.Usage ?? TokenUsage.Empty;
        Trace(record, usage, cost, notes);
        return new RequestAccounting
        {
            TokensSaved = cost.TokensSaved,
            BilledUsd = cost.BilledUsd,
            NoGatewayUsd = cost.NoGatewayUsd,
            CompressionSavedUsd = cost.CompressionSavedUsd,
            CachingSavedUsd = cost.CachingSavedUsd,
            PriceNote = cost.Note,
            Verdict = notes?.Verdict,
            BrokenAt = notes?.BrokenAt,
            Cause = notes?.Cause,
            Detail = notes?.Detail,
            GapSeconds = notes?.GapSeconds,
            Ttl = notes?.BreakpointsPlaced > 0 ? notes.Ttl : null,
            TtlExpectedSavingUsd = notes?.BreakpointsPlaced > 0 ? notes.TtlExpectedSavingUsd : null,
            CacheCheck = check,
            Retrievals = record.Retrievals,
        };
    }

    internal static string ProviderName(Provider provider) => ProviderNames.GenAi(provider);

    /// <summary>The GenAI span (started at the request's arrival, ended at its last byte) and the histograms.</summary>
    private static void Trace(RequestRecord record, TokenUsage usage, RequestCost cost, CacheNotes? notes)
    {
        var model = record.RequestModel ?? record.Model ?? "unknown";
        var provider = ProviderName(record.Provider);
        var tags = new TagList
        {
            { "gen_ai.operation.name", "chat" },
            { "gen_ai.provider.name", provider },
            { "gen_ai.request.model", model },
        };
        if (record.Model is { } responseModel)
        {
            tags.Add("gen_ai.response.model", responseModel);
        }

        if (GatewayInstrumentation.Source.HasListeners()
            && GatewayInstrumentation.Source.StartActivity("chat " + model, ActivityKind.Client, Activity.Current?.Context ?? default, startTime: record.StartedAt) is { } span)
        {
            foreach (var tag in tags)
            {
                span.SetTag(tag.Key, tag.Value);
            }

            span.SetTag("gen_ai.response.id", record.ResponseId);
            span.SetTag("gen_ai.usage.input_tokens", usage.TotalInputTokens);
            span.SetTag("gen_ai.usage.output_tokens", usage.OutputTokens);
            span.SetTag("gen_ai.usage.cache_read.input_tokens", usage.CacheReadTokens);
            span.SetTag("gen_ai.usage.cache_creation.input_tokens", usage.CacheWriteTokens);
            span.SetTag("headroom.request_id", record.RequestId);
            span.SetTag("headroom.session_id", record.SessionId);
            span.SetTag("headroom.tokens_saved", cost.TokensSaved);
            span.SetTag("headroom.cache.verdict", notes?.Verdict);
            span.SetTag("headroom.cache.cause", notes?.Cause);
            span.SetTag("headroom.cache.ttl", notes?.BreakpointsPlaced > 0 ? notes.Ttl : null);
            span.SetTag("headroom.cost_usd", cost.BilledUsd is { } billed ? (double)billed : null);
            span.SetTag("headroom.saved_usd", cost.SavedUsd is { } saved ? (double)saved : null);
            span.SetTag("headroom.overhead_ms", record.OverheadMs);
            if (record.Status >= 400 || record.Error is not null)
            {
                span.SetTag("error.type", record.Error is { } e ? e.Split(':')[0] : record.Status.ToString(System.Globalization.CultureInfo.InvariantCulture));
                span.SetStatus(ActivityStatusCode.Error, record.Error);
            }

            span.SetEndTime(record.StartedAt.UtcDateTime.AddMilliseconds(record.TotalMs));
            span.Stop();
        }

        if (record.Usage is not null)
        {
            var input = tags;
            input.Add("gen_ai.token.type", "input");
            GatewayInstrumentation.TokenUsage.Record(usage.TotalInputTokens, input);
            var output = tags;
            output.Add("gen_ai.token.type", "output");
            GatewayInstrumentation.TokenUsage.Record(usage.OutputTokens, output);
        }

        GatewayInstrumentation.OperationDuration.Record(record.TotalMs / 1000, tags);
        if (record.TtfbMs > 0)
        {
            GatewayInstrumentation.TimeToFirstChunk.Record(record.TtfbMs / 1000, tags);
        }

        GatewayInstrumentation.Overhead.Record(record.OverheadMs / 1000, tags);
        if (cost.TokensSaved > 0)
        {
            GatewayInstrumentation.TokensSaved.Add(cost.TokensSaved, tags);
        }

        foreach (var outcome in record.Live?.Outcomes ?? [])
        {
            if (!outcome.Replayed && outcome.Compressor is { } compressor && outcome.TokensBefore > outcome.TokensAfter)
            {
                GatewayInstrumentation.CompressorTokensSaved.Add(outcome.TokensBefore - outcome.TokensAfter, new KeyValuePair<string, object?>("headroom.compressor", compressor));
            }
        }

        if (record.Retrievals > 0)
        {
            GatewayInstrumentation.Retrievals.Add(record.Retrievals, new KeyValuePair<string, object?>("gen_ai.provider.name", provider));
        }

        if (notes?.Verdict is { } verdict)
        {
            var v = tags;
            v.Add("headroom.cache.verdict", verdict);
            v.Add("headroom.cache.cause", notes.Cause ?? "");
            GatewayInstrumentation.CacheVerdicts.Add(1, v);
        }
    }
}
