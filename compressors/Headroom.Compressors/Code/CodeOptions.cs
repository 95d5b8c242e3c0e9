namespace Headroom.Compressors.Code;

/// <summary>Knobs of the code compressor. <see cref="KeepFactor"/> of a request scales <see cref="MinBodyLines"/>.</summary>
internal sealed record CodeOptions
{
    public static CodeOptions Default { get; } = new();

    /// <summary>Files shorter than this pass through untouched (issue 8: &lt; 80 lines).</summary>
    public int MinFileLines { get; init; } = 80;

    /// <summary>Bodies with fewer inner lines stay: a marker line costs about as much as a few short lines.</summary>
    public int MinBodyLines { get; init; } = 4;

    /// <summary>C# up to this size goes through Roslyn; larger files use the brace lexer (keeps 1 MB under the time budget).</summary>
    public int MaxRoslynChars { get; init; } = 262_144;
}
