namespace Headroom.Media.Tests;

/// <summary>Tests that inspect this process's ffmpeg children run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessTreeCollection
{
    public const string Name = "ffmpeg process tree";
}
