namespace Headroom.Compressors.Code;

internal enum ElisionKind
{
    /// <summary>A function body: replaced by a marker comment line (or a short note when it is short).</summary>
    Body,

    /// <summary>Doc-comment lines beyond the first: dropped; the file's final marker counts them.</summary>
    DocLines,

    /// <summary>A Python body after its kept docstring line: closing quotes, then a marker comment.</summary>
    PythonBodyAfterDoc,

    /// <summary>A Python body without a docstring: <c>...  # marker</c> keeps it a valid suite.</summary>
    PythonBodyEllipsis,

    /// <summary>The inner lines of a long declaration-level initializer (a data table): a marker comment line.</summary>
    Initializer,

    /// <summary>The inner lines of a long multi-line string literal (a template): a plain note line inside the literal.</summary>
    LiteralLines,

    /// <summary>Declarations after the first of a run that differ only in name and numbers: one comment line naming them.</summary>
    SimilarDeclarations,
}
