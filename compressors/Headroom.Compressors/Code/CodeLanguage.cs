namespace Headroom.Compressors.Code;

/// <summary>Languages the code compressor understands; <see cref="Unknown"/> passes through.</summary>
internal enum CodeLanguage
{
    Unknown,
    CSharp,
    Python,
    JavaScript,
    TypeScript,
    Java,
    Go,
    Rust,
    C,
    Cpp,
    Kotlin,
    Swift,
}
