using Headroom.Bench.Compressors;
using Headroom.Compressors.Pipeline;
using Xunit;
using Xunit.Abstractions;

namespace Headroom.Compressors.Tests.Pipeline;

/// <summary>The issue-3 evaluation over ../shared/data, with the retention targets as assertions.</summary>
public sealed class EvaluationTests(ITestOutputHelper output)
{
    [Fact]
    public void Evaluation_OnSharedData_MeetsRetentionTargets()
    {
        var data = Fixtures.SharedDataDirectory();
        using var writer = new StringWriter();
        var figures = CompressorEvaluation.Run(data, Environment.GetEnvironmentVariable("HEADROOM_CODE_CORPUS"), null, writer);
        output.WriteLine(writer.ToString());
        var byType = figures.ToDictionary(f => f.Type);
        Assert.Equal(100.0, byType[ContentType.Log].RetentionPercent);
        Assert.Equal(100.0, byType[ContentType.Json].RetentionPercent);
        Assert.Equal(100.0, byType[ContentType.Search].RetentionPercent);
        Assert.True(byType[ContentType.Diff].RetentionPercent >= 90, $"diff retention {byType[ContentType.Diff].RetentionPercent:F1}%");
        Assert.True(byType[ContentType.Search].SavedPercent >= 70, $"search saved {byType[ContentType.Search].SavedPercent:F1}%");
    }
}
