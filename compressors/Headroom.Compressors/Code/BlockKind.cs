namespace Headroom.Compressors.Code;

/// <summary>What a brace block is, judged from its header.</summary>
internal enum BlockKind
{
    /// <summary>Holds declarations (class, namespace, impl, object literal): look inside.</summary>
    Container,

    /// <summary>A function body: may be elided.</summary>
    Body,

    /// <summary>Anything else (initialisers, struct fields, statements inside bodies): kept as is.</summary>
    Other,

    /// <summary>( or [ — separators inside do not end a header.</summary>
    Paren,
}
