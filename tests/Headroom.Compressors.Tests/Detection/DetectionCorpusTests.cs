using Headroom.Bench.Compressors;
using Headroom.Compressors.Detection;
using Headroom.Compressors.Pipeline;
using Headroom.Compressors.Tests.Pipeline;
using Xunit;
using Xunit.Abstractions;

namespace Headroom.Compressors.Tests.Detection;

public sealed class DetectionCorpusTests(ITestOutputHelper output)
{
    [Fact]
    public void Detect_OnSharedDataLabelledSet_IsAtLeast95PercentCorrect()
    {
        var data = Fixtures.SharedDataDirectory();
        var repo = Path.GetFullPath(Path.Combine(data, "..", "..", "main"));
        var samples = EvalCorpus.Load(data, codeDir: Environment.GetEnvironmentVariable("HEADROOM_CODE_CORPUS"), repoDir: Directory.Exists(repo) ? repo : null);
        var wrong = new List<string>();
        foreach (var s in samples)
        {
            var got = ContentDetector.Detect(s.Text);
            if (got.Type != s.Label)
            {
                wrong.Add($"{s.Name}: expected {s.Label}, got {got.Type} ({got.Confidence:F2})");
            }
        }

        foreach (var w in wrong)
        {
            output.WriteLine(w);
        }

        var accuracy = 1.0 - ((double)wrong.Count / samples.Count);
        output.WriteLine($"{samples.Count} samples, accuracy {accuracy:P1}");
        Assert.True(accuracy >= 0.95, $"accuracy {accuracy:P1}; wrong:\n{string.Join('\n', wrong.Take(40))}");
    }
}
