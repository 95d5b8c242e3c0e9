using System.Text;
using Headroom.Gateway.LiveZone;
using Headroom.Gateway.Caching;
using Headroom.Gateway.Providers;
using Microsoft.Extensions.Options;

namespace Headroom.Gateway.Providers.Anthropic;

/// <summary>
/// Places Anthropic <c>cache_control</c> breakpoints when the client placed none (a client that placed any
/// is left alone): end of tools, end of system, and the last message block (the history the next turn
/// resends unchanged). At most 4; all carry the session's TTL, so a 1 h breakpoint never follows a 5 min
/// one. A breakpoint whose prefix (tools → system → messages, estimated at 4 bytes per token: the hot
/// path does not tokenise) is below the model's minimum is skipped, since the provider would not cache it.
/// Every breakpoint is an insertion; no byte of the client's is changed (a string content or string
/// system prompt is wrapped, its token kept as sent).
/// </summary>
internal sealed class BreakpointPlanner : IRequestPlanner
{
    public const int MaxBreakpoints = 4;
    private static readonly byte[] FiveMinutes = Encoding.UTF8.GetBytes(",\"cache_control\":{\"type\":\"ephemeral\"}");
    private static readonly byte[] OneHour = Encoding.UTF8.GetBytes(",\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"1h\"}");

    private readonly CacheMinimums _minimums;
    private readonly CachingOptions _options;

    public BreakpointPlanner(CacheMinimums minimums, IOptions<CachingOptions> options)
    {
        _minimums = minimums;
        _options = options.Value;
    }

    public ValueTask PlanAsync(RequestPlan plan, CancellationToken cancellationToken)
    {
        if (plan.Api != ApiKind.AnthropicMessages || !_options.Breakpoints || !CachingMode.MayChange(plan))
        {
            return ValueTask.CompletedTask;
        }

        var notes = CacheNotes.For(plan.Annotations);
        var shape = plan.Shape;
        if (shape.AnyCacheControl())
        {
            notes.BreakpointsBy = "client";
            notes.Ttl = null;
            return ValueTask.CompletedTask;
        }

        notes.BreakpointsBy = "gateway";
        notes.Ttl ??= "5m";
        var marker = notes.Ttl == "1h" ? OneHour : FiveMinutes;
        var min = _minimums.MinTokens(shape.Model, anthropic: true);
        var body = plan.Body.Span;

        // Prefix sizes in cache order (tools → system → messages), not JSON order.
        long tools = shape.Tools is { } t ? t.End - t.Start : 0;
        long system = shape.Blocks.Where(b => b.Message < 0 && b.Kind == BlockKind.System).Sum(b => (long)b.Length);
        var lastTool = shape.Blocks.LastOrDefault(b => b.Kind == BlockKind.ToolDefinition);
        var lastSystem = shape.Blocks.LastOrDefault(b => b.Message < 0 && b.Kind == BlockKind.System);
        var lastMessage = shape.Blocks.LastOrDefault(b => b.Message >= 0 && b.Kind != BlockKind.Thinking);
        long messages = lastMessage is null ? 0 : shape.Blocks.Where(b => b.Message >= 0 && b.Start <= lastMessage.Start).Sum(b => (long)b.Length);

        // 1. End of tools, 2. end of system, 3. the last stable message block.
        TryPlace(plan, notes, body, lastTool, "tools", tools, min, marker);
        TryPlace(plan, notes, body, lastSystem, "system", tools + system, min, marker);
        TryPlace(plan, notes, body, lastMessage, "messages", tools + system + messages, min, marker);
        return ValueTask.CompletedTask;
    }

    private static void TryPlace(RequestPlan plan, CacheNotes notes, ReadOnlySpan<byte> body, ContextBlock? block, string level, long prefixBytes, int min, byte[] marker)
    {
        if (block is null)
        {
            return;
        }

        if (notes.BreakpointsPlaced >= MaxBreakpoints)
        {
            notes.BreakpointNotes.Add($"{level}: the limit of {MaxBreakpoints} breakpoints is reached");
            return;
        }

        if (prefixBytes / 4 < min)
        {
            notes.BreakpointNotes.Add($"{level}: prefix ≈ {prefixBytes / 4} tokens (bytes/4) is below the model's minimum of {min}");
            return;
        }

        var splice = SpliceFor(body, block, marker);
        if (splice is not { } s)
        {
            notes.BreakpointNotes.Add($"{level}: block kind {block.Kind} cannot carry cache_control");
            return;
        }

        if (plan.Overlaps(s.Start, s.End))
        {
            notes.BreakpointNotes.Add($"{level}: the block is already being replaced");
            return;
        }

        plan.Add(s);
        notes.BreakpointsPlaced++;
    }

    /// <summary>The insertion that gives <paramref name="block"/> a breakpoint, or null.</summary>
    internal static Splice? SpliceFor(ReadOnlySpan<byte> body, ContextBlock block, byte[] marker)
    {
        if (!block.IsString)
        {
            // An object (tool definition, system block, tool_use, image, ...): insert before its closing brace.
            if (block.End - block.Start < 2 || body[block.Start] != (byte)'{' || body[block.End - 1] != (byte)'}')
            {
                return null;
            }

            var empty = body[(block.Start + 1)..(block.End - 1)].Trim(" \t\r\n"u8).IsEmpty;
            return new Splice(block.End - 1, block.End - 1, empty ? marker.AsMemory(1) : marker);
        }

        var property = PropertyBefore(body, block.Start);
        if (property == "text" || (property == "content" && block.Kind == BlockKind.ToolOutput && block.Part < 0))
        {
            // Inside a text block or a tool_result object: a sibling property after the token.
            return new Splice(block.End, block.End, marker);
        }

        if (property is "content" or "system")
        {
            // String content / string system prompt: wrap as one text block, the client's token kept byte for byte.
            var wrapped = new byte[block.Length + marker.Length + 25];
            var at = 0;
            at += Encoding.UTF8.GetBytes("[{\"type\":\"text\",\"text\":", wrapped.AsSpan(at));
            body[block.Start..block.End].CopyTo(wrapped.AsSpan(at));
            at += block.Length;
            marker.CopyTo(wrapped.AsSpan(at));
            at += marker.Length;
            at += Encoding.UTF8.GetBytes("}]", wrapped.AsSpan(at));
            return new Splice(block.Start, block.End, wrapped.AsMemory(0, at));
        }

        return null;
    }

    /// <summary>The name of the property whose value starts at <paramref name="valueStart"/> (simple names only).</summary>
    private static string? PropertyBefore(ReadOnlySpan<byte> body, int valueStart)
    {
        var i = valueStart - 1;
        while (i >= 0 && body[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i--;
        }

        if (i < 0 || body[i] != (byte)':')
        {
            return null;
        }

        i--;
        while (i >= 0 && body[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i--;
        }

        if (i < 1 || body[i] != (byte)'"')
        {
            return null;
        }

        var end = i;
        i--;
        while (i >= 0 && body[i] != (byte)'"' && end - i < 32)
        {
            i--;
        }

        return i < 0 || body[i] != (byte)'"' ? null : Encoding.UTF8.GetString(body[(i + 1)..end]);
    }
}
