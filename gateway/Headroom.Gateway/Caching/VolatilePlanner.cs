using System.Collections.Concurrent;
using System.Text;
using Headroom.Gateway.LiveZone;
using Headroom.Gateway.Providers;
using Microsoft.Extensions.Options;

namespace Headroom.Gateway.Caching;

/// <summary>
/// Reports volatile values in the system prompt and tool definitions (findings memoised by the bytes' hash,
/// so an unchanged prefix is scanned once). With <c>Headroom:Caching:MoveVolatileToEnd</c> (off by default)
/// it moves the system-prompt lines that hold them to the end of a string system prompt or instructions, so
/// OpenAI's longest-prefix cache keeps the rest; the lines are moved byte for byte, in order. Anthropic
/// caches whole blocks at breakpoints, so moving inside one block would not help there: reported only.
/// </summary>
internal sealed class VolatilePlanner : IRequestPlanner
{
    private const int MemoCapacity = 512;
    private readonly ConcurrentDictionary<ulong, VolatileFinding[]> _memo = new();
    private readonly CachingOptions _options;

    public VolatilePlanner(IOptions<CachingOptions> options) => _options = options.Value;

    public ValueTask PlanAsync(RequestPlan plan, CancellationToken cancellationToken)
    {
        if (plan.Api is not (ApiKind.AnthropicMessages or ApiKind.OpenAIChat or ApiKind.OpenAIResponses))
        {
            return ValueTask.CompletedTask;
        }

        var notes = CacheNotes.For(plan.Annotations);
        var body = plan.Body.Span;
        var systems = new List<ContextBlock>();
        var tools = new List<ContextBlock>();
        var blocks = plan.Shape.Blocks;
        for (var i = 0; i < blocks.Count; i++)
        {
            var b = blocks[i];
            if (b.Kind == BlockKind.System && (b.Message < 0 || b.Message == 0))
            {
                systems.Add(b);
            }
            else if (b.Kind == BlockKind.ToolDefinition)
            {
                tools.Add(b);
            }
        }
        var key = Key(body, systems, tools);
        if (!_memo.TryGetValue(key, out var findings))
        {
            var list = new List<VolatileFinding>();
            foreach (var s in systems)
            {
                VolatileScanner.Scan("system", Encoding.UTF8.GetString(body[s.Start..s.End]), list);
            }

            foreach (var t in tools)
            {
                VolatileScanner.Scan("tool:" + (t.ToolName ?? "?"), Encoding.UTF8.GetString(body[t.Start..t.End]), list);
            }

            findings = [.. list];
            if (_memo.Count >= MemoCapacity)
            {
                _memo.Clear();
            }

            _memo[key] = findings;
        }

        notes.Volatile.AddRange(findings);
        if (_options.MoveVolatileToEnd && CachingMode.MayChange(plan) && findings.Any(f => f.Where == "system") && plan.Api != ApiKind.AnthropicMessages)
        {
            foreach (var s in systems.Where(s => s.IsString))
            {
                if (MoveToEnd(body[s.Start..s.End]) is { } moved && !plan.Overlaps(s.Start, s.End))
                {
                    plan.Add(new Splice(s.Start, s.End, moved.Bytes));
                    notes.VolatileLinesMoved += moved.Lines;
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The string token with its volatile lines (split at the JSON escape <c>\n</c>) moved last, or null.</summary>
    internal static (byte[] Bytes, int Lines)? MoveToEnd(ReadOnlySpan<byte> token)
    {
        var inner = Encoding.UTF8.GetString(token[1..^1]);
        var lines = inner.Split("\\n");
        var stable = lines.Where(l => !VolatileScanner.Any(l)).ToList();
        var moving = lines.Where(l => VolatileScanner.Any(l)).ToList();
        if (moving.Count == 0 || stable.Count == 0 || lines.TakeLast(moving.Count).SequenceEqual(moving))
        {
            return null; // nothing to move, everything volatile, or already last
        }

        return (Encoding.UTF8.GetBytes("\"" + string.Join("\\n", stable.Concat(moving)) + "\""), moving.Count);
    }

    private static ulong Key(ReadOnlySpan<byte> body, List<ContextBlock> systems, List<ContextBlock> tools)
    {
        var hash = new HashCode();
        var length = 0;
        foreach (var b in systems.Concat(tools))
        {
            hash.AddBytes(body[b.Start..b.End]);
            hash.Add(b.ToolName);
            hash.Add(b.Kind);
            length += b.Length;
        }

        return (ulong)(uint)hash.ToHashCode() | ((ulong)(uint)length << 32);
    }
}
