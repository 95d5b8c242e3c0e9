namespace Headroom.Bench.Compressors;

/// <summary>What <see cref="CompressorEvaluation.Run"/> measured: per type and split, and per held-out log system.</summary>
internal sealed record EvaluationReport(IReadOnlyList<TypeFigures> Types, IReadOnlyList<LogSystemFigures> Logs)
{
    public TypeFigures Type(string type, string split) => Types.Single(t => t.Type == type && t.Split == split);
}
