namespace Headroom.Compressors.Json;

/// <summary>What a key name says about its value, for finding error-like items.</summary>
internal enum KeyKind : byte
{
    Other,
    Error,
    Status,
}
