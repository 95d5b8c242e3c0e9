namespace Headroom.Compressors.Json;

internal enum JsonKind : byte
{
    Object,
    Array,
    String,
    Number,
    Literal,
}
