using System.Text.Json;
using Headroom.Compressors.Pipeline;

namespace Headroom.Compressors.Detection;

/// <summary>
/// Decides what a tool output is: json, log/build output, search results, unified diff, html,
/// code (with language) or plain text. Structural checks first (a JSON parse, diff headers, an
/// HTML document start), then line statistics over a sample of the first lines.
/// </summary>
public static class ContentDetector
{
    private const int SampleChars = 32 * 1024;
    private const int SampleLines = 200;

    public static DetectionResult Detect(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.AsSpan().TrimStart("\uFEFF \t\r\n");
        if (trimmed.IsEmpty)
        {
            return new DetectionResult(ContentType.Text, 1.0);
        }

        // 1. JSON: an object or array that parses completely.
        if (trimmed[0] is '{' or '[' && IsJson(text))
        {
            return new DetectionResult(ContentType.Json, 0.99);
        }

        // 2. Unified diff: file headers and hunk headers.
        if (IsDiff(text))
        {
            return new DetectionResult(ContentType.Diff, 0.97);
        }

        // 3. HTML document start.
        if (trimmed.StartsWith("<!DOCTYPE html", StringComparison.OrdinalIgnoreCase)
            || trimmed.StartsWith("<html", StringComparison.OrdinalIgnoreCase)
            || (trimmed.StartsWith("<?xml", StringComparison.Ordinal) && text.Contains("<html", StringComparison.OrdinalIgnoreCase)))
        {
            return new DetectionResult(ContentType.Html, 0.98);
        }

        // 4. Line statistics.
        var stats = LineStats.MeasureSpread(text, SampleChars, SampleLines);
        if (stats.Lines == 0)
        {
            return new DetectionResult(ContentType.Text, 0.5);
        }

        var search = (double)stats.SearchLines / stats.Lines;
        // One or two lines with a clock time are prose as often as they are a log.
        var log = stats.Lines < 3 ? 0 : (double)stats.LogLines / stats.Lines;
        var code = (double)stats.CodeLines / stats.Lines;
        var tags = stats.TagDensity;

        if (tags >= 0.01 && stats.ClosingTags >= 2 && tags > code * 0.05)
        {
            return new DetectionResult(ContentType.Html, Math.Min(0.95, 0.6 + tags * 10));
        }

        if (search >= 0.6)
        {
            return new DetectionResult(ContentType.Search, Math.Min(0.99, 0.5 + search / 2));
        }

        var (language, languageScore) = stats.BestLanguage();
        var codeLike = code >= 0.35 && languageScore >= Math.Max(2, stats.Lines * 0.05);
        if (log >= 0.5 && !(codeLike && code > log))
        {
            return new DetectionResult(ContentType.Log, Math.Min(0.99, 0.4 + log / 2));
        }

        if (codeLike)
        {
            return new DetectionResult(ContentType.Code, Math.Min(0.98, 0.4 + code / 2), language);
        }

        if (log >= 0.3)
        {
            return new DetectionResult(ContentType.Log, 0.4 + log / 2);
        }

        if (search >= 0.3)
        {
            return new DetectionResult(ContentType.Search, 0.4 + search / 2);
        }

        return new DetectionResult(ContentType.Text, Math.Max(0.5, 1 - Math.Max(code, log)));
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 256 });
            return doc.RootElement.ValueKind is JsonValueKind.Object or JsonValueKind.Array;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool IsDiff(string text)
    {
        var hunk = text.StartsWith("@@ -", StringComparison.Ordinal) || text.Contains("\n@@ -", StringComparison.Ordinal);
        if (!hunk)
        {
            return text.StartsWith("diff --git ", StringComparison.Ordinal) || text.Contains("\ndiff --git ", StringComparison.Ordinal)
                ? text.Contains("Binary files ", StringComparison.Ordinal) || text.Contains("\nrename from ", StringComparison.Ordinal)
                    || text.Contains("\nnew file mode", StringComparison.Ordinal) || text.Contains("\ndeleted file mode", StringComparison.Ordinal)
                : false;
        }

        return (text.StartsWith("--- ", StringComparison.Ordinal) || text.Contains("\n--- ", StringComparison.Ordinal))
            && text.Contains("\n+++ ", StringComparison.Ordinal);
    }
}
