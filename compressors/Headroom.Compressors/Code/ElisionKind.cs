namespace Headroom.Compressors.Code;

internal enum ElisionKind
{
    /// <summary>A function body: replaced by a marker comment line.</summary>
    Body,

    /// <summary>Doc-comment lines beyond the first: dropped silently (the file's markers cover retrieval).</summary>
    DocLines,

    /// <summary>A Python body after its kept docstring line: closing quotes, then a marker comment.</summary>
    PythonBodyAfterDoc,

    /// <summary>A Python body without a docstring: <c>...  # marker</c> keeps it a valid suite.</summary>
    PythonBodyEllipsis,
}
