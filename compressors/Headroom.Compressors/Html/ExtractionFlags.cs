namespace Headroom.Compressors.Html;

/// <summary>Heuristics the extractor may switch off when a pass finds too little text (Readability's retry flags).</summary>
[Flags]
internal enum ExtractionFlags
{
    None = 0,
    StripUnlikely = 1,
    WeightClasses = 2,
    CleanConditionally = 4,
    All = StripUnlikely | WeightClasses | CleanConditionally,
}
