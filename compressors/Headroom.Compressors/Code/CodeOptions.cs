namespace Headroom.Compressors.Code;

/// <summary>Knobs of the code compressor. <see cref="KeepFactor"/> of a request scales <see cref="MinBodyLines"/>.</summary>
internal sealed record CodeOptions
{
    public static CodeOptions Default { get; } = new();

    /// <summary>Files shorter than this pass through untouched (&lt; 80 lines).</summary>
    public int MinFileLines { get; init; } = 80;

    /// <summary>Bodies with fewer inner lines stay.</summary>
    public int MinBodyLines { get; init; } = 1;

    /// <summary>Bodies with fewer non-blank characters stay: the note replacing them would cost about as much.</summary>
    public int MinBodyChars { get; init; } = 24;

    /// <summary>Cuts of at least this many lines carry a full retrieval marker in place; shorter ones a short note (the file's final marker names the hash).</summary>
    public int FullMarkerLines { get; init; } = 20;

    /// <summary>Cuts of at most this many lines become a bare <c>…</c> note.</summary>
    public int BriefNoteLines { get; init; } = 3;

    /// <summary>Declaration-level initializers (data tables) with at least this many inner lines keep only their first lines.</summary>
    public int LongInitializerLines { get; init; } = 8;

    /// <summary>Multi-line string literals outside function bodies with at least this many lines keep only their first lines.</summary>
    public int LongLiteralLines { get; init; } = 12;

    /// <summary>How many leading inner lines a long initializer or literal keeps before its note.</summary>
    public int KeptLeadLines { get; init; } = 2;

    /// <summary>C# up to this size goes through Roslyn; larger files use the brace lexer (keeps 1 MB under the time budget).</summary>
    public int MaxRoslynChars { get; init; } = 262_144;
}
