using System.Diagnostics;
using System.Text;
using Headroom.Compressors.Budget;
using Headroom.Compressors.Detection;
using Headroom.Compressors.Markers;
using Headroom.Compressors.Spans;
using Headroom.Compressors.Tokens;

namespace Headroom.Compressors.Pipeline;

/// <summary>
/// detect → compress → guards → result. Never throws for bad input: any compressor failure,
/// timeout or too-small saving returns the original with a reason (fail open, invariant 5).
/// </summary>
public sealed class CompressionPipeline
{
    private readonly CompressorRegistry _registry;
    private readonly PipelineOptions _options;
    private readonly O200kTokenizer _tokenizer;

    public CompressionPipeline(CompressorRegistry? registry = null, PipelineOptions? options = null, O200kTokenizer? tokenizer = null)
    {
        _registry = registry ?? CompressorRegistry.CreateDefault();
        _options = options ?? PipelineOptions.Default;
        _tokenizer = tokenizer ?? O200kTokenizer.Instance;
    }

    /// <summary>Compresses one block. <paramref name="forcedType"/> skips detection.</summary>
    public CompressionResult Compress(string text, CompressionRequest? request = null, ContentType? forcedType = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        request ??= CompressionRequest.Empty;

        // 1. Identity and size of the original.
        var hash = ContentHash.Compute(text);
        var tokensBefore = _tokenizer.CountTokens(text);
        // A command-output header ("Exit code: 0 ... Output:") stays as it is; what follows is
        // detected and compressed on its own.
        var (headerLength, trailerLength) = ToolOutputHeader.Find(text);
        var body = headerLength == 0 ? text : text[headerLength..(text.Length - trailerLength)];
        var detection = forcedType is { } forced
            ? new DetectionResult(forced, 1.0, forced == ContentType.Code ? request.Language : null)
            : ContentDetector.Detect(body);
        CompressionResult Original(string reason, string compressor = "none", int version = 0, TimeSpan elapsed = default) => new()
        {
            Output = text,
            Type = detection.Type,
            Confidence = detection.Confidence,
            Language = detection.Language,
            Compressor = compressor,
            CompressorVersion = version,
            TokensBefore = tokensBefore,
            TokensAfter = tokensBefore,
            Hash = hash,
            Spans = text.Length == 0 ? [] : [new ByteSpan(SpanKind.Kept, 0, Encoding.UTF8.GetByteCount(text), 0, Encoding.UTF8.GetByteCount(text))],
            Reason = reason,
            Elapsed = elapsed,
        };

        // 2. Guards that need no compressor.
        if (text.Length < _options.MinChars)
        {
            return Original($"input shorter than {_options.MinChars} chars");
        }

        if (request.IsError && Encoding.UTF8.GetByteCount(text) <= _options.ErrorVerbatimBytes)
        {
            return Original($"error output up to {_options.ErrorVerbatimBytes} bytes is kept verbatim");
        }

        var compressor = _registry.Find(detection.Type);
        if (compressor is null)
        {
            return Original($"no compressor registered for {detection.Type}");
        }

        // 3. The compressor, under the time budget (a one-time load it needs is paid before the budget starts).
        (compressor as IWarmsUp)?.WarmUp(body, request.Language ?? detection.Language);
        using var budget = new ComputeBudget(_options.TimeBudget, _options.TimeBudget * _options.WallCapFactor);
        var call = request with
        {
            OriginalHash = hash,
            Language = request.Language ?? detection.Language,
            CancellationToken = budget.Token,
            Budget = budget,
        };
        var watch = Stopwatch.StartNew();
        CompressorOutput output;
        try
        {
            output = compressor.Compress(body, call);
            if (headerLength > 0)
            {
                output = WithEnvelope(text[..headerLength], output, text[(text.Length - trailerLength)..], text.Length - trailerLength);
            }
        }
        catch (OperationCanceledException) when (budget.Token.IsCancellationRequested)
        {
            return Original(OverBudget(budget), compressor.Name, compressor.Version, watch.Elapsed);
        }
        catch (CompressorDeclinedException declined)
        {
            return Original(declined.Message, compressor.Name, compressor.Version, watch.Elapsed);
        }
#pragma warning disable CA1031 // Fail open: any compressor failure forwards the original (invariant 5).
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Original($"compressor error: {ex.GetType().Name}: {ex.Message}", compressor.Name, compressor.Version, watch.Elapsed);
        }

        var elapsed = watch.Elapsed;
        if (budget.Exceeded)
        {
            return Original(OverBudget(budget), compressor.Name, compressor.Version, elapsed);
        }

        // 4. Guards on the result.
        if (SpanMap.Validate(text, output.Output, output.Spans) is { } problem)
        {
            return Original($"invalid span map from {compressor.Name}: {problem}", compressor.Name, compressor.Version, elapsed);
        }

        var lossy = output.Lossy;
        if (lossy && !MarkerFormat.FindAll(output.Output).Any(m => m.Marker.Hash == hash))
        {
            return Original($"lossy output from {compressor.Name} has no marker naming {hash}", compressor.Name, compressor.Version, elapsed);
        }

        var tokensAfter = _tokenizer.CountTokens(output.Output);
        if (tokensAfter > tokensBefore * (1 - _options.MinSavedFraction))
        {
            return Original($"saved less than {_options.MinSavedFraction:P0} of tokens ({tokensBefore} → {tokensAfter})", compressor.Name, compressor.Version, elapsed);
        }

        return new CompressionResult
        {
            Output = output.Output,
            Type = detection.Type,
            Confidence = detection.Confidence,
            Language = call.Language,
            Compressor = compressor.Name,
            CompressorVersion = compressor.Version,
            TokensBefore = tokensBefore,
            TokensAfter = tokensAfter,
            Hash = hash,
            Spans = SpanMap.ToBytes(text, output.Output, output.Spans),
            Lossy = lossy,
            Scorer = output.Scorer,
            ScorerFallback = output.ScorerFallback,
            Elapsed = elapsed,
        };
    }

    private string OverBudget(ComputeBudget budget) =>
        $"time budget of {_options.TimeBudget.TotalMilliseconds:F0} ms exceeded ({budget.Cpu.TotalMilliseconds:F0} ms CPU, {budget.Wall.TotalMilliseconds:F0} ms wall; wall cap {_options.TimeBudget.TotalMilliseconds * _options.WallCapFactor:F0} ms)";

    /// <summary>
    /// The envelope as kept spans around the body's output: the header in front (the body's spans
    /// shifted past it), the trailer behind (it starts at <paramref name="trailerAt"/> in the source).
    /// </summary>
    private static CompressorOutput WithEnvelope(string header, CompressorOutput output, string trailer, int trailerAt)
    {
        var h = header.Length;
        var spans = new List<Span>(output.Spans.Count + 2) { new(SpanKind.Kept, 0, h, 0, h) };
        foreach (var s in output.Spans)
        {
            spans.Add(new Span(s.Kind, s.OutStart + h, s.OutEnd + h, s.SrcStart < 0 ? s.SrcStart : s.SrcStart + h, s.SrcEnd < 0 ? s.SrcEnd : s.SrcEnd + h));
        }

        var body = h + output.Output.Length;
        if (trailer.Length > 0)
        {
            spans.Add(new Span(SpanKind.Kept, body, body + trailer.Length, trailerAt, trailerAt + trailer.Length));
        }

        return output with { Output = header + output.Output + trailer, Spans = spans };
    }
}
