using System.Text;
using Headroom.Compressors.Code;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Tokens;
using Xunit;

namespace Headroom.Compressors.Tests.Code;

public sealed class NeverGrowsTests
{
    /// <summary>Settings that put a full marker on every one-line body (distinct bodies, so no run collapses): each cut costs more than it removes, so the compressor must hand back the input.</summary>
    [Theory]
    [InlineData("go")]
    [InlineData("rust")]
    [InlineData("python")]
    public void CutsCostingMoreThanTheyRemove_ReturnTheInputUnchanged(string language)
    {
        var sb = new StringBuilder(language == "go" ? "package p\n\n" : "");
        for (int i = 0; i < 60; i++)
        {
            sb.Append(language switch
            {
                "go" => $"func f{i}() int {{\n\treturn v{i}\n}}\n\n",
                "rust" => $"fn f{i}() -> u32 {{\n    v{i}\n}}\n\n",
                _ => $"def f{i}():\n    return v{i}\n\n\n",
            });
        }

        string source = sb.ToString();
        var options = new CodeOptions { MinBodyLines = 1, MinBodyChars = 1, FullMarkerLines = 1 };
        var result = new CodeCompressor(options).Compress(source, new CompressionRequest { Language = language, OriginalHash = "00112233445566778899aabb" });

        Assert.True(O200kTokenizer.Instance.CountTokens(result.Output) <= O200kTokenizer.Instance.CountTokens(source));
        Assert.Equal(source, result.Output);
        Assert.False(result.Lossy);
    }
}
