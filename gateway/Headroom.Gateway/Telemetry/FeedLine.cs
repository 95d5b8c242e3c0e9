using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Headroom.Provenance.Events;

namespace Headroom.Gateway.Telemetry;

/// <summary>
/// One compact feed line per request, from its <see cref="RequestAccounted"/> event. Field order is fixed;
/// null and empty fields are left out. <see cref="Fields"/> is what <c>/telemetry/schema</c> serves.
/// </summary>
internal static class FeedLine
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static readonly (string Name, string Type, string Meaning)[] Fields =
    [
        ("cursor", "int", "event-store sequence of this line: pass as ?after= to resume after it"),
        ("id", "string", "request id (the x-headroom-request-id response header; GET /provenance/{id})"),
        ("ts", "string", "request arrival, ISO 8601 UTC"),
        ("session", "string", "session id (client header, else a hash of model + system + first user message)"),
        ("model", "string", "model that answered (else the one requested)"),
        ("in", "int", "uncached input tokens (in + cacheRead + cacheWrite = everything the model read)"),
        ("out", "int", "output tokens"),
        ("cacheRead", "int", "input tokens read from the provider's prompt cache"),
        ("cacheWrite", "int", "input tokens written to the provider's prompt cache"),
        ("saved", "int", "tokens removed by compression"),
        ("savedUsd", "number", "USD saved by the gateway: compression + caching it added (absent when the model has no price)"),
        ("usd", "number", "USD as billed, with cache reads and writes (absent when the model has no price)"),
        ("verdict", "string", "cache verdict vs the session's previous request: cold | hit | ttl_expired | broken"),
        ("cause", "string", "when broken: model_changed | tools_changed | system_changed | message_edited | history_truncated | gateway_caused"),
        ("at", "string", "when broken: where (tools, system[0], message[3].block[1])"),
        ("detail", "string", "when broken or expired: what changed, e.g. system[0] @1204: \"2026-11-21\" → \"2026-11-22\""),
        ("check", "string", "verdict vs provider-reported cache reads: consistent | unexpected_miss | unexpected_read | uncached | no_usage"),
        ("retrievals", "int", "originals retrieved inside this request"),
        ("status", "int", "HTTP status returned"),
        ("error", "string", "what failed when the client did not get the upstream's answer whole: a gateway-side failure (timeout, reset, request_too_large) or the error event that ended a stream begun with 200"),
        ("failOpen", "string", "why compression failed open (the original was forwarded)"),
        ("overheadMs", "number", "time the gateway spent before forwarding"),
        ("ttfbMs", "number", "time to the first response byte"),
    ];

    public static byte[] Write(long cursor, RequestAccounted a)
    {
        var buffer = new ArrayBufferWriter<byte>(384);
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            w.WriteNumber("cursor", cursor);
            w.WriteString("id", a.RequestId);
            w.WriteString("ts", a.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            Str(w, "session", a.SessionId);
            Str(w, "model", a.Model);
            w.WriteNumber("in", a.InputTokens);
            w.WriteNumber("out", a.OutputTokens);
            w.WriteNumber("cacheRead", a.CacheReadTokens);
            w.WriteNumber("cacheWrite", a.CacheWriteTokens);
            w.WriteNumber("saved", a.TokensSaved);
            if (a.CompressionSavedUsd is { } c && a.CachingSavedUsd is { } k)
            {
                w.WriteNumber("savedUsd", c + k);
            }

            if (a.BilledUsd is { } billed)
            {
                w.WriteNumber("usd", billed);
            }

            Str(w, "verdict", a.Verdict);
            Str(w, "cause", a.Cause);
            Str(w, "at", a.BrokenAt);
            Str(w, "detail", a.Detail);
            Str(w, "check", a.CacheCheck);
            w.WriteNumber("retrievals", a.Retrievals);
            w.WriteNumber("status", a.Status);
            Str(w, "error", a.Error);
            Str(w, "failOpen", a.FailOpen);
            w.WriteNumber("overheadMs", a.OverheadMs);
            w.WriteNumber("ttfbMs", a.TtfbMs);
            w.WriteEndObject();
        }

        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    private static void Str(Utf8JsonWriter w, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            w.WriteString(name, value);
        }
    }
}
